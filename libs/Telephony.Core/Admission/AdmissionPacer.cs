namespace Telephony.Core.Admission;

/// <summary>The release slot one admitted call got, and the tenant's pacing after it.</summary>
public sealed record AdmissionSlot(DateTimeOffset ReleaseAt, TimeSpan Delay, PacingState Next);

/// <summary>
/// Pure pacing: each tenant's calls are released one slot apart (1 / CallsPerSecond), starting now
/// when the tenant has nothing waiting. Tenants never share slots, so a big batch of one tenant only
/// pushes that tenant's own slots back; everyone else is released at their own rate.
/// </summary>
public static class AdmissionPacer
{
    public static AdmissionSlot Admit(PacingState state, TenantLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(limits);
        var release = state.NextSlot > now ? state.NextSlot : now;
        var next = new PacingState(release + limits.SlotSpacing, state.AdmittedTotal + 1);
        return new AdmissionSlot(release, release - now, next);
    }

    /// <summary>
    /// Reserves <paramref name="count"/> consecutive slots at once (a batch chunk): the returned slot is the
    /// first, call <c>i</c> is released <c>i</c> spacings after it. One pacing write for the whole chunk.
    /// </summary>
    public static AdmissionSlot AdmitMany(PacingState state, TenantLimits limits, DateTimeOffset now, int count)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var release = state.NextSlot > now ? state.NextSlot : now;
        var next = new PacingState(release + (limits.SlotSpacing * count), state.AdmittedTotal + count);
        return new AdmissionSlot(release, release - now, next);
    }

    /// <summary>
    /// How long <paramref name="count"/> more calls must wait before they fit under the tenant's queued-call
    /// cap (zero when they fit now, or when nothing is waiting: an idle tenant always takes a chunk).
    /// </summary>
    public static TimeSpan WaitForRoom(PacingState state, TenantLimits limits, DateTimeOffset now, int count)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(limits);
        if (state.NextSlot <= now)
        {
            return TimeSpan.Zero;
        }

        var excess = state.QueuedAt(now, limits) + count - limits.MaxQueuedCalls;
        return excess <= 0 ? TimeSpan.Zero : limits.SlotSpacing * excess;
    }

    /// <summary>True when one more call may be created: it would be released at once, or the tenant's queue has room.</summary>
    public static bool HasQueueRoom(PacingState state, TenantLimits limits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.NextSlot <= now || state.QueuedAt(now, limits) < limits.MaxQueuedCalls;
    }
}
