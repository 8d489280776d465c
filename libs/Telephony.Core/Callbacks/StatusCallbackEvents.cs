using Telephony.Core.Calls;

namespace Telephony.Core.Callbacks;

/// <summary>Twilio's StatusCallbackEvent names and which call events they stand for.</summary>
public static class StatusCallbackEvents
{
    public const string Initiated = "initiated";
    public const string Ringing = "ringing";
    public const string Answered = "answered";
    public const string Completed = "completed";

    /// <summary>
    /// The status callback event a call event is, or null: a node claiming the call ("initiated" detail), ringing,
    /// in-progress (answered), or any final status (completed, busy, no-answer, failed, canceled all report as completed).
    /// </summary>
    public static string? Of(CallEvent callEvent)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        if (callEvent.Type != CallEventTypes.StatusChanged)
        {
            return null;
        }

        return callEvent.Status switch
        {
            CallStatus.Queued when callEvent.Detail == Initiated => Initiated,
            CallStatus.Ringing => Ringing,
            CallStatus.InProgress => Answered,
            _ when CallStatuses.IsFinal(callEvent.Status) => Completed,
            _ => null,
        };
    }

    /// <summary>The CallStatus parameter sent with the event (Twilio sends "initiated" for the initiated event).</summary>
    public static string CallStatusOf(CallEvent callEvent, string eventName)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        return eventName == Initiated ? Initiated : CallStatuses.ToWire(callEvent.Status);
    }
}
