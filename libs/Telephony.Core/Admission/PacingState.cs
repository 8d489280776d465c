namespace Telephony.Core.Admission;

/// <summary>
/// One tenant's pacing position: the next free release slot (a virtual-clock token bucket, GCRA style:
/// a slot in the past means the bucket is full) and how many calls were admitted in total, from which
/// capacity analysis derives the arrival rate.
/// </summary>
public sealed record PacingState(DateTimeOffset NextSlot, long AdmittedTotal)
{
    public static readonly PacingState Empty = new(DateTimeOffset.MinValue, 0);

    /// <summary>Calls admitted but not yet released at <paramref name="now"/> (their slots lie ahead).</summary>
    public int QueuedAt(DateTimeOffset now, TenantLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (NextSlot <= now)
        {
            return 0;
        }

        // Slots lie at NextSlot - k * spacing (k >= 1); those after now are still waiting.
        var slotsAhead = Math.Round((NextSlot - now).TotalSeconds * limits.CallsPerSecond, 6);
        return Math.Max(0, (int)Math.Ceiling(slotsAhead) - 1);
    }
}
