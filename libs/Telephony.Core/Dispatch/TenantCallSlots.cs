using Telephony.Core.Admission;

namespace Telephony.Core.Dispatch;

/// <summary>
/// A tenant's <c>MaxConcurrentCalls</c> for calls that do not come through its dispatch queue (inbound calls): they take
/// and give back slots in the same cluster-wide rows as dispatched calls (<see cref="TenantConcurrency"/>), so outbound
/// dispatch sees them running and they see outbound calls. The limit is read through <see cref="CachedTenantLimits"/>
/// (an operator's change reaches every node within its period). Safe for concurrent callers.
/// </summary>
public sealed class TenantCallSlots(TenantConcurrency concurrency, AdmissionStore admission, TimeProvider time)
{
    private readonly CachedTenantLimits _limits = new(admission, time);

    /// <summary>Takes one of the tenant's slots; <see cref="SlotAnswer.Taken"/> is false when all are in use. Give it back with <see cref="ReturnAsync"/>.</summary>
    public async Task<SlotAnswer> TryTakeAsync(string accountSid, CancellationToken cancellationToken)
    {
        var limit = (await _limits.GetAsync(accountSid, cancellationToken)).MaxConcurrentCalls;
        return new SlotAnswer(await concurrency.TryTakeAsync(accountSid, limit, cancellationToken), limit);
    }

    /// <summary>The call that held a slot ended (a give-back write, when one is due, runs on; a failure is repaired by the heartbeat's refresh).</summary>
    public Task ReturnAsync(string accountSid) => concurrency.ReturnAsync(accountSid);
}

/// <summary>Whether a slot was taken, and the tenant's limit it was judged against.</summary>
public readonly record struct SlotAnswer(bool Taken, int Limit);
