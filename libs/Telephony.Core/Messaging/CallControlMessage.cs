namespace Telephony.Core.Messaging;

/// <summary>
/// Tells the node running a call that the call record changed through the API: re-read it and act
/// (fetch the new Url/Twiml, or hang up when the record became final). <see cref="EventSequence"/>
/// lets the node ignore a message older than what it has already seen.
/// </summary>
public sealed record CallControlMessage
{
    public required string CallSid { get; init; }

    public required string AccountSid { get; init; }

    /// <summary>The call event that caused the message (see Calls.CallEventTypes).</summary>
    public required string EventType { get; init; }

    public required long EventSequence { get; init; }

    /// <summary>W3C traceparent of the span that wrote the message (optional; older messages have none).</summary>
    public string? TraceParent { get; init; }
}
