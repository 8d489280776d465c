using Telephony.Sip.Messages;

namespace Telephony.Sip.Calls;

public enum CallDirection
{
    Inbound,
    Outbound,
}

public enum CallState
{
    /// <summary>Outbound: INVITE sent. Inbound: INVITE received, not yet answered.</summary>
    Trying,
    /// <summary>A 180/183 was sent or received (early dialog).</summary>
    Early,
    Answered,
    Ended,
}

/// <summary>Why a call ended, from our side's point of view.</summary>
public enum CallEndCause
{
    LocalHangup,
    RemoteHangup,
    Rejected,
    /// <summary>The caller gave up before answer (CANCEL sent or received).</summary>
    Canceled,
    /// <summary>No answer within the ring timeout, or no response at all.</summary>
    Timeout,
    Failed,
}

/// <summary>Twilio's call statuses (https://www.twilio.com/docs/voice/api/call-resource#call-status-values).</summary>
public enum TwilioCallStatus
{
    Queued,
    Initiated,
    Ringing,
    InProgress,
    Completed,
    Busy,
    NoAnswer,
    Failed,
    Canceled,
}

/// <summary>How a call ended: the SIP status that decided it, the cause, and the Twilio status it maps to.</summary>
public sealed record CallEnd(int SipStatus, string Reason, CallEndCause Cause, TwilioCallStatus TwilioStatus, bool WasAnswered);

public static class TwilioStatusMapping
{
    /// <summary>Final status of a call attempt: 486/600/603 busy; 408/480/487 and timeouts no-answer; CANCEL canceled; other errors failed.</summary>
    public static TwilioCallStatus ForFailure(int sipStatus, CallEndCause cause) => cause switch
    {
        CallEndCause.Canceled => TwilioCallStatus.Canceled,
        CallEndCause.Timeout => TwilioCallStatus.NoAnswer,
        _ => sipStatus switch
        {
            486 or 600 or 603 => TwilioCallStatus.Busy,
            408 or 480 or 487 => TwilioCallStatus.NoAnswer,
            _ => TwilioCallStatus.Failed,
        },
    };

    /// <summary>The wire form Twilio uses (`in-progress`, `no-answer`…).</summary>
    public static string ToWire(this TwilioCallStatus status) => status switch
    {
        TwilioCallStatus.InProgress => "in-progress",
        TwilioCallStatus.NoAnswer => "no-answer",
        _ => status.ToString().ToLowerInvariant(),
    };
}

/// <summary>What to dial.</summary>
public sealed record CallRequest
{
    public required SipUri Target { get; init; }

    /// <summary>From: display name and URI; defaults to the agent's own address.</summary>
    public NameAddress? From { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> ExtraHeaders { get; init; } = [];

    /// <summary>Ring timeout: CANCEL and report no-answer after this long without a final response.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Codecs to offer; null uses the agent's default (PCMU, PCMA).</summary>
    public IReadOnlyList<Sdp.AudioCodec>? Codecs { get; init; }

    /// <summary>
    /// Where the INVITE goes instead of resolving the target or proxy: the flow a client registered over (its
    /// REGISTER's source address; for TCP the connection it opened), since a client behind NAT is not reachable
    /// at its Contact.
    /// </summary>
    public Transport.SipEndPoint? Destination { get; init; }

    /// <summary>Proxy/trunk to send through (outbound proxy); null sends to the target's host.</summary>
    public SipUri? OutboundProxy { get; init; }

    /// <summary>Credentials for 401/407 challenges from a trunk.</summary>
    public Auth.DigestCredentials? Credentials { get; init; }
}
