using System.Net;

namespace Telephony.Sip.Transport;

/// <summary>Bytes received on a transport, with where they came from.</summary>
public delegate void SipDataReceived(ReadOnlySpan<byte> data, SipEndPoint remote, SipEndPoint local);

/// <summary>One listening transport (a UDP socket or a TCP listener with its connections).</summary>
public interface ISipTransport : IAsyncDisposable
{
    SipTransportKind Kind { get; }

    IPEndPoint LocalEndPoint { get; }

    /// <summary>Starts receiving; every framed message is handed to <paramref name="onMessage"/>.</summary>
    void Start(SipDataReceived onMessage);

    /// <summary>Sends one whole message. Failures surface as exceptions (the transaction layer maps them to 503).</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> message, IPEndPoint remote, CancellationToken cancellationToken = default);
}
