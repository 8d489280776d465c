using Microsoft.Extensions.Logging;
using Telephony.Core.Calls;
using Telephony.MediaNode.Dialing;
using Telephony.Sip.Calls;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// One leg of a Dial while it rings: its tenant slot (<see cref="DialLegSlots"/>; none free: the leg fails unplaced), the
/// INVITE over its routes, its record's ringing and final status. An answered leg is screened first (its noun's whisper, if
/// any), then offered to the Dial (first to get there wins); a leg the screening keeps apart, or that gets there too late,
/// is hung up. A leg that did not win gives its slot back when it ends; the winner's goes back through
/// <see cref="ReturnSlotAsync"/> when the bridge ends.
/// </summary>
public sealed class DialLeg(DialLegPlan plan, DialLegRecord record, OutboundDialer dialer, TimeSpan ringTimeout, ILogger logger, DialLegSlots? slots = null)
{
    private int _holdsSlot;
    private bool _reserved;
    private TwilioCallStatus? _unplaced;

    public DialLegPlan Plan => plan;

    public DialLegRecord Record => record;

    public string CallSid => record.CallSid;

    /// <summary>How the leg ended without being bridged (busy, no-answer, failed, canceled); null while ringing or when it won.</summary>
    public TwilioCallStatus? Failure { get; private set; }

    /// <summary>Rings until an answer, a failure or <paramref name="cancellationToken"/> (CANCEL). Returns the call if it won.</summary>
    /// <param name="screen">Decides whether the answered call may be connected (its whisper); true when there is none.</param>
    /// <param name="tryWin">Offers the answered call to the Dial; false when another leg won or the caller is gone.</param>
    /// <param name="progress">Told when the leg rings and when it sends early media (what the caller hears meanwhile).</param>
    public async Task<SipCall?> RingAsync(
        Func<DialLeg, SipCall, CancellationToken, Task<bool>> screen,
        Func<DialLeg, SipCall, bool> tryWin,
        CancellationToken cancellationToken,
        IDialLegProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(screen);
        ArgumentNullException.ThrowIfNull(tryWin);
        await ReserveAsync(cancellationToken);
        if (_unplaced is { } unplaced)
        {
            return Ended(unplaced);
        }

        SipCall? won = null;
        try
        {
            won = await PlaceAsync(screen, tryWin, progress, cancellationToken);
            return won;
        }
        finally
        {
            if (won is null)
            {
                await ReturnSlotAsync();
            }
        }
    }

    /// <summary>
    /// Takes the leg's tenant slot ahead of ringing (the Dial reserves every parallel leg's first, so their INVITEs still go
    /// out together); <see cref="RingAsync"/> does it itself when not done. A leg that found none ends unplaced when rung.
    /// </summary>
    public async Task ReserveAsync(CancellationToken cancellationToken)
    {
        if (slots is null || _reserved)
        {
            return;
        }

        _reserved = true;
        _unplaced = await TakeSlotAsync(cancellationToken);
    }

    /// <summary>Gives the leg's tenant slot back (once; nothing when it holds none).</summary>
    public Task ReturnSlotAsync() =>
        slots is not null && Interlocked.Exchange(ref _holdsSlot, 0) == 1 ? slots.ReturnAsync(record.Record.AccountSid) : Task.CompletedTask;

    /// <summary>Null when the slot was taken, else how the unplaced leg ends.</summary>
    private async Task<TwilioCallStatus?> TakeSlotAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await slots!.TryTakeAsync(record, cancellationToken))
            {
                return TwilioCallStatus.Failed;
            }
        }
        catch (OperationCanceledException)
        {
            return TwilioCallStatus.Canceled;
        }
        catch (Exception e) when (Core.Storage.StorageFaults.IsStorageFailure(e))
        {
            logger.LogWarning("Dial leg {CallSid}: the tenant's running calls could not be read ({Message}); the leg fails", CallSid, e.Message);
            return TwilioCallStatus.Failed;
        }

        Volatile.Write(ref _holdsSlot, 1);
        return null;
    }

    private async Task<SipCall?> PlaceAsync(
        Func<DialLeg, SipCall, CancellationToken, Task<bool>> screen, Func<DialLeg, SipCall, bool> tryWin, IDialLegProgress? progress, CancellationToken cancellationToken)
    {
        void OnRinging()
        {
            record.Move(CallStatus.Ringing);
            progress?.LegRinging();
        }

        DialResult result;
        try
        {
            result = await dialer.DialAsync(
                plan.Routes,
                new DialRequest(plan.To, plan.From, ringTimeout, CallSid) { Headers = plan.Headers },
                plan.Credentials,
                OnRinging,
                cancellationToken,
                progress is null ? null : progress.LegEarlyMedia);
        }
        catch (OperationCanceledException)
        {
            // Canceled while waiting for a trunk's calls-per-second slot: no INVITE was sent.
            return Ended(TwilioCallStatus.Canceled);
        }
#pragma warning disable CA1031 // A target that cannot be dialled (say, a SIP host that does not resolve) fails its leg, not the Dial.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogWarning(e, "Dial leg {CallSid} to {To} could not be placed", CallSid, plan.To);
            return Ended(TwilioCallStatus.Failed);
        }

        if (result.Answered is not { } call)
        {
            logger.LogInformation("Dial leg {CallSid} to {To}: {SipStatus} {Reason} via {Route}", CallSid, plan.To, result.Failure!.SipStatus, result.Failure.Reason, result.RouteName);
            return Ended(result.Failure.TwilioStatus);
        }

        record.Move(CallStatus.InProgress);
        if (!await screen(this, call, cancellationToken))
        {
            // Kept apart by its whisper: to the Dial it is as if this leg had not answered (canceled when the Dial is over).
            logger.LogInformation("Dial leg {CallSid} to {To} answered but was not connected", CallSid, plan.To);
            call.Hangup();
            record.Move(CallStatus.Completed);
            Failure = cancellationToken.IsCancellationRequested ? TwilioCallStatus.Canceled : TwilioCallStatus.NoAnswer;
            return null;
        }

        if (tryWin(this, call))
        {
            logger.LogInformation("Dial leg {CallSid} to {To} answered via {Route}", CallSid, plan.To, result.RouteName);
            return call;
        }

        call.Hangup();
        record.Move(CallStatus.Completed);
        Failure = TwilioCallStatus.Canceled;
        return null;
    }

    private SipCall? Ended(TwilioCallStatus status)
    {
        Failure = status;
        record.Move(status switch
        {
            TwilioCallStatus.Busy => CallStatus.Busy,
            TwilioCallStatus.NoAnswer => CallStatus.NoAnswer,
            TwilioCallStatus.Canceled => CallStatus.Canceled,
            _ => CallStatus.Failed,
        });
        return null;
    }
}
