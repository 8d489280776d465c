using Microsoft.Extensions.Logging;
using Telephony.Core.Errors;

namespace Telephony.Core.Admission;

/// <summary>Fair admission for one call request: the tenant's limits plus its stored pacing give the release slot.</summary>
public sealed class CallAdmitter(AdmissionStore store, TimeProvider time, ILogger<CallAdmitter> logger)
{
    /// <summary>Reserves the tenant's next release slot (concurrent admitters each get a distinct one).</summary>
    public async Task<AdmissionSlot> AdmitAsync(string accountSid, string callSid, CancellationToken cancellationToken = default)
    {
        var limits = await store.GetLimitsAsync(accountSid, cancellationToken);
        var slot = await store.ReserveAsync(accountSid, state => AdmissionPacer.Admit(state, limits, time.GetUtcNow()), cancellationToken);
        logger.LogInformation(
            "Call {CallSid} of {AccountSid} admitted for release at {ReleaseAt} (delay {DelayMs} ms)",
            callSid, accountSid, slot.ReleaseAt, (long)slot.Delay.TotalMilliseconds);
        return slot;
    }

    /// <summary>Refuses a new call with 429 / 20429 when the tenant's queued-call cap is reached.</summary>
    public async Task EnsureQueueRoomAsync(string accountSid, CancellationToken cancellationToken = default)
    {
        var limits = await store.GetLimitsAsync(accountSid, cancellationToken);
        var pacing = await store.GetPacingAsync(accountSid, cancellationToken);
        if (!AdmissionPacer.HasQueueRoom(pacing, limits, time.GetUtcNow()))
        {
            throw new TwilioException(new TwilioError(
                TwilioErrorCodes.TooManyRequests,
                $"Too many queued calls: the account's limit is {limits.MaxQueuedCalls} calls waiting to be placed.",
                429));
        }
    }
}
