using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telephony.Sip.Transactions;

public sealed record SipStackOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    public SipTimers Timers { get; init; } = new();

    /// <summary>Address put in Via/Contact when a transport is bound to a wildcard address.</summary>
    public IPAddress? AdvertisedAddress { get; init; }

    /// <summary>RFC 3261 §18.1.1: requests larger than this go over TCP when a TCP transport exists.</summary>
    public int UdpSizeLimit { get; init; } = 1300;

    public int MaxMessagesPerSecondPerSource { get; init; } = 5_000;

    public string UserAgent { get; init; } = "Telephony.Serverless";
}
