using Telephony.Core.Calls;
using Telephony.Core.Notifications;
using Telephony.MediaNode.Calls;
using Telephony.Sip.Calls;

namespace Telephony.MediaNode.Inbound;

/// <summary>
/// An inbound call its tenant has no room for (every one of its <c>MaxConcurrentCalls</c> is running, inbound and
/// outbound together): the caller gets 486 Busy Here at once — final, so the carrier gives the caller a busy tone instead
/// of trying the next node, which would refuse too — and the call is still kept: a record, "busy" the way a
/// &lt;Reject reason="busy"&gt; ends (its status callback included), and a Notification on the account and the call
/// with Twilio's error 10004 (call concurrency limit exceeded).
/// </summary>
public sealed class InboundLimitRefusal(CallStatusWriter status, NotificationStore notifications, ILogger<InboundLimitRefusal> logger)
{
    public const int SipStatus = 486;

    /// <summary>Refuses <paramref name="call"/> and stores <paramref name="record"/> (its "ringing" record as routed) as busy.</summary>
    public async Task RefuseAsync(SipCall call, CallRecord record, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(record);
        call.Reject(SipStatus);
        logger.LogWarning("Inbound call {CallSid} of {AccountSid} from {From} to {To} refused ({SipStatus}): the account runs its {Limit} concurrent calls",
            record.Sid, record.AccountSid, record.From, record.To, SipStatus, limit);
        await status.CreateAsync(record, cancellationToken);
        await notifications.AddConcurrencyLimitAsync(record.AccountSid, record.Sid, "inbound", record.From, record.To, limit, cancellationToken);
        await status.MoveAsync(record.AccountSid, record.Sid, CallStatus.Busy, CancellationToken.None);
    }
}
