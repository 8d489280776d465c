using Microsoft.Extensions.Logging;
using Telephony.Core.Admission;
using Telephony.Core.Calls;
using Telephony.Core.Messaging;

namespace Telephony.Core.Batches;

/// <summary>Where admit-calls sends batch work: the dispatch queue (with a release delay) and call-requests again.</summary>
public interface IBatchWorkSink
{
    Task DispatchAsync(CallRequestMessage call, TimeSpan? delay, CancellationToken cancellationToken);

    Task RequeueAsync(CallBatchMessage message, TimeSpan? delay, CancellationToken cancellationToken);
}

/// <summary>
/// admit-calls' part for batches. A chunk waits (goes back on call-requests, delayed) while the tenant's
/// queued-call cap has no room for it, so a 100,000-call batch never holds more than the cap in dispatch;
/// otherwise its calls get consecutive release slots of the tenant (one pacing write) and go to dispatch one
/// message per call, each delayed to its own slot — the same pacing as single calls, so other tenants are
/// never delayed. A canceled batch's chunk is not dispatched: its calls are canceled instead.
/// </summary>
public sealed class CallBatchAdmission(
    CallBatchStore batches,
    CallStore calls,
    BatchCallQueries queries,
    AdmissionStore admission,
    TimeProvider time,
    ILogger<CallBatchAdmission> logger)
{
    /// <summary>Calls one cancel message cancels before it hands the rest to the next message.</summary>
    public const int CancelPageSize = 100;

    /// <summary>Longest a chunk waits before it checks for room again.</summary>
    public static readonly TimeSpan MaxRecheckDelay = TimeSpan.FromMinutes(10);

    public async Task HandleAsync(CallBatchMessage message, IBatchWorkSink sink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(sink);
        var batch = await batches.GetAsync(message.AccountSid, message.BatchSid, cancellationToken);
        if (batch is null)
        {
            logger.LogError("Batch work for unknown batch {BatchSid} of {AccountSid} dropped", message.BatchSid, message.AccountSid);
            return;
        }

        if (message.Kind == CallBatchMessage.CancelKind)
        {
            await CancelPageAsync(batch, message, sink, cancellationToken);
        }
        else if (batch.State == CallBatchState.Canceled)
        {
            await CancelQueuedAsync(batch.AccountSid, message.CallSids, cancellationToken);
        }
        else
        {
            await AdmitChunkAsync(message, sink, cancellationToken);
        }
    }

    private async Task AdmitChunkAsync(CallBatchMessage message, IBatchWorkSink sink, CancellationToken cancellationToken)
    {
        var count = message.CallSids.Count;
        if (count == 0)
        {
            return;
        }

        var limits = await admission.GetLimitsAsync(message.AccountSid, cancellationToken);
        var wait = AdmissionPacer.WaitForRoom(await admission.GetPacingAsync(message.AccountSid, cancellationToken), limits, time.GetUtcNow(), count);
        if (wait > TimeSpan.Zero)
        {
            var recheck = wait < MaxRecheckDelay ? wait : MaxRecheckDelay;
            logger.LogInformation(
                "Batch {BatchSid} of {AccountSid}: {Count} calls wait {WaitMs} ms for room under the queued-call cap",
                message.BatchSid, message.AccountSid, count, (long)recheck.TotalMilliseconds);
            await sink.RequeueAsync(message, recheck, cancellationToken);
            return;
        }

        // A retry after a crash reserves new slots and dispatches again: a call is placed at most once,
        // because a node only takes a call that is still queued and has no node.
        var slot = await admission.ReserveAsync(message.AccountSid, state => AdmissionPacer.AdmitMany(state, limits, time.GetUtcNow(), count), cancellationToken);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var delay = slot.Delay + (limits.SlotSpacing * i);
                await sink.DispatchAsync(
                    new CallRequestMessage { CallSid = message.CallSids[i], AccountSid = message.AccountSid, RequestedAt = message.RequestedAt },
                    delay > TimeSpan.Zero ? delay : null,
                    ct);
            });
        logger.LogInformation(
            "Batch {BatchSid} of {AccountSid}: {Count} calls admitted from {ReleaseAt}, one per {SpacingMs} ms",
            message.BatchSid, message.AccountSid, count, slot.ReleaseAt, limits.SlotSpacing.TotalMilliseconds);
    }

    private async Task CancelPageAsync(CallBatchRecord batch, CallBatchMessage message, IBatchWorkSink sink, CancellationToken cancellationToken)
    {
        var page = await queries.QueuedAsync(batch, CancelPageSize, message.AfterCallSid, cancellationToken);
        var canceled = await CancelQueuedAsync(batch.AccountSid, page.Items, cancellationToken);
        logger.LogInformation("Batch {BatchSid} of {AccountSid}: {Count} queued calls canceled", batch.Sid, batch.AccountSid, canceled);
        if (page.NextToken is { } next)
        {
            await sink.RequeueAsync(message with { AfterCallSid = next }, null, cancellationToken);
        }
    }

    /// <summary>Cancels each call that is still queued; one already taken by a node (ringing, answered, over) is left alone.</summary>
    private async Task<int> CancelQueuedAsync(string accountSid, IReadOnlyList<string> callSids, CancellationToken cancellationToken)
    {
        var canceled = 0;
        await Parallel.ForEachAsync(
            callSids,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (callSid, ct) =>
            {
                var updated = await calls.UpdateAsync(
                    accountSid,
                    callSid,
                    current => current.Status == CallStatus.Queued && current.NodeId is null
                        ? CallTransitions.ChangeStatus(current, CallStatus.Canceled, time.GetUtcNow())
                        : null,
                    ct);
                if (updated?.Status == CallStatus.Canceled)
                {
                    Interlocked.Increment(ref canceled);
                }
            });
        return canceled;
    }
}
