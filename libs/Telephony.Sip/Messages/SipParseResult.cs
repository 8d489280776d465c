namespace Telephony.Sip.Messages;

/// <summary>Why a message is invalid and which response a UAS should send (400, 505, 413…).</summary>
public readonly record struct SipError(int StatusCode, string Reason);

/// <summary>
/// The outcome of framing bytes into a message. <see cref="Message"/> is set whenever a start line and headers could be
/// read, even if <see cref="Error"/> is also set, so a UAS can still answer a malformed request.
/// </summary>
public readonly record struct SipParseResult(SipMessage? Message, SipError? Error, int Consumed)
{
    /// <summary>A stream parse needs more bytes; nothing was consumed.</summary>
    public bool NeedsMoreData => Message is null && Error is null;

    public bool IsValid => Message is not null && Error is null;

    public static SipParseResult Incomplete => new(null, null, 0);

    public static SipParseResult Fail(int status, string reason, SipMessage? partial = null, int consumed = 0) =>
        new(partial, new SipError(status, reason), consumed);
}
