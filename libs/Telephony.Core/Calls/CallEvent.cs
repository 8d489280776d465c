namespace Telephony.Core.Calls;

/// <summary>One entry of a call's append-only history; <see cref="Sequence"/> starts at 1 and has no gaps.</summary>
public sealed record CallEvent
{
    public required string CallSid { get; init; }

    public required string AccountSid { get; init; }

    public required long Sequence { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>What happened: see <see cref="CallEventTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The call's status after the event.</summary>
    public required CallStatus Status { get; init; }

    /// <summary>Short free text, e.g. the new Url of a redirect.</summary>
    public string? Detail { get; init; }

    /// <summary>
    /// The status callback queued for this event, if any (<see cref="Callbacks.CallbackMessage.CallbackId"/>): the
    /// message is queued before the event is committed, and delivery sends only a message its event names.
    /// </summary>
    public string? CallbackId { get; init; }
}

public static class CallEventTypes
{
    public const string Created = "created";
    public const string StatusChanged = "status-changed";
    public const string Redirected = "redirected";
    public const string Updated = "updated";
}
