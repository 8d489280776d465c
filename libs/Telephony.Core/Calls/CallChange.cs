namespace Telephony.Core.Calls;

/// <summary>The result of applying a change to a call: the new record and the event that records it.</summary>
public sealed record CallChange(CallRecord Updated, string EventType, string? Detail = null);

/// <summary>Status moves with their side effects on the record (start/end time, duration).</summary>
public static class CallTransitions
{
    /// <summary>
    /// Moves <paramref name="current"/> to <paramref name="to"/>, or null when it already is there;
    /// throws <see cref="InvalidOperationException"/> for a move the state machine forbids.
    /// </summary>
    public static CallChange? ChangeStatus(CallRecord current, CallStatus to, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.Status == to)
        {
            return null;
        }

        if (!CallStatuses.CanMove(current.Status, to))
        {
            throw new InvalidOperationException(
                $"call {current.Sid} cannot move from {CallStatuses.ToWire(current.Status)} to {CallStatuses.ToWire(to)}");
        }

        var updated = current with { Status = to };
        if (to == CallStatus.InProgress)
        {
            updated = updated with { StartTime = now };
        }

        if (CallStatuses.IsFinal(to))
        {
            var answered = current.StartTime;
            updated = updated with
            {
                EndTime = now,
                Duration = answered is { } start ? (int)Math.Max(0, (now - start).TotalSeconds) : 0,
            };
        }

        return new CallChange(updated, CallEventTypes.StatusChanged, CallStatuses.ToWire(to));
    }
}
