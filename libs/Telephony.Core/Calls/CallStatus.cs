namespace Telephony.Core.Calls;

/// <summary>Twilio's call statuses.</summary>
public enum CallStatus
{
    Queued,
    Ringing,
    InProgress,
    Completed,
    Busy,
    Failed,
    NoAnswer,
    Canceled,
}

/// <summary>Wire names and the state machine of <see cref="CallStatus"/>.</summary>
public static class CallStatuses
{
    public static string ToWire(CallStatus status) => status switch
    {
        CallStatus.Queued => "queued",
        CallStatus.Ringing => "ringing",
        CallStatus.InProgress => "in-progress",
        CallStatus.Completed => "completed",
        CallStatus.Busy => "busy",
        CallStatus.Failed => "failed",
        CallStatus.NoAnswer => "no-answer",
        CallStatus.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string? text, out CallStatus status)
    {
        foreach (var candidate in Enum.GetValues<CallStatus>())
        {
            if (ToWire(candidate) == text)
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }

    /// <summary>Parses a stored status; stored data is ours, so an unknown value is a bug, not bad input.</summary>
    public static CallStatus Parse(string? text) =>
        TryParse(text, out var status) ? status : throw new FormatException($"unknown call status '{text}'");

    /// <summary>A final status: the call is over and its record no longer changes state.</summary>
    public static bool IsFinal(CallStatus status) => status >= CallStatus.Completed;

    /// <summary>
    /// The allowed moves: queued → ringing → in-progress → completed, with busy/no-answer/failed/canceled
    /// ending a call that was never answered, and failed also possible once answered.
    /// </summary>
    public static bool CanMove(CallStatus from, CallStatus to) => from switch
    {
        CallStatus.Queued => to is CallStatus.Ringing or CallStatus.InProgress or CallStatus.Canceled or CallStatus.Failed
            or CallStatus.Busy or CallStatus.NoAnswer,
        CallStatus.Ringing => to is CallStatus.InProgress or CallStatus.Canceled or CallStatus.Failed or CallStatus.Busy
            or CallStatus.NoAnswer,
        CallStatus.InProgress => to is CallStatus.Completed or CallStatus.Failed,
        _ => false,
    };
}
