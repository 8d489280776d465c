using Microsoft.Extensions.Logging;
using Telephony.Core.Dispatch;
using Telephony.Core.Notifications;
using Telephony.Core.Storage;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// Dial legs are calls of their tenant, as on Twilio (each is a child Call resource and holds a trunk channel): a leg takes
/// a slot of the tenant's <c>MaxConcurrentCalls</c> before its INVITE, in the same cluster-wide count as inbound and
/// dispatched calls (<see cref="TenantCallSlots"/>). A leg that finds none is not placed: it fails, with a 10004
/// Notification on its child call. The slot is given back when the leg ends (or, for the bridged leg, when the bridge ends).
/// </summary>
public sealed class DialLegSlots(TenantCallSlots slots, NotificationStore notifications, ILogger<DialLegSlots> logger)
{
    /// <summary>Takes a slot for <paramref name="leg"/>; false (and the notification written) when the tenant has none free.</summary>
    public async Task<bool> TryTakeAsync(DialLegRecord leg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leg);
        var record = leg.Record;
        var answer = await slots.TryTakeAsync(record.AccountSid, cancellationToken);
        if (answer.Taken)
        {
            return true;
        }

        logger.LogWarning("Dial leg {CallSid} of {ParentCallSid} ({AccountSid}) to {To} not placed: the account runs its {Limit} concurrent calls",
            record.Sid, record.ParentCallSid, record.AccountSid, record.To, answer.Limit);
        try
        {
            await notifications.AddConcurrencyLimitAsync(record.AccountSid, record.Sid, DialLegRecord.Direction, record.From, record.To, answer.Limit, CancellationToken.None);
        }
        catch (Exception e) when (StorageFaults.IsStorageFailure(e))
        {
            logger.LogWarning("Dial leg {CallSid}: its concurrency-limit notification was not stored ({Message})", record.Sid, e.Message);
        }

        return false;
    }

    public Task ReturnAsync(string accountSid) => slots.ReturnAsync(accountSid);
}
