using Microsoft.Extensions.Logging;
using Telephony.Core.Admission;
using Telephony.Core.Calls;
using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Core.Messaging;
using Telephony.Core.Paging;
using Telephony.Core.Parameters;

namespace Telephony.Core.Batches;

/// <summary>The result of a batch create: the batch (null when no row was usable), and the refused rows (capped).</summary>
public sealed record CallBatchCreateResult(CallBatchProgress? Batch, IReadOnlyList<BatchRowError> Errors, int RejectedCount);

/// <summary>
/// The CallBatches resource. Create streams the rows: each valid row becomes a queued Call carrying the
/// batch sid; every 100 calls are one Table transaction and one chunk message for admit-calls, which paces
/// them call by call under the tenant's limits. Invalid rows are refused and reported with their line;
/// the valid ones are kept (see docs/API.md). Cancel marks the batch and lets admit-calls cancel its queued calls.
/// </summary>
public sealed class CallBatchService(
    CallBatchStore batches,
    CallStore calls,
    BatchCallQueries queries,
    AdmissionStore admission,
    MessageQueue queue,
    TimeProvider time,
    ILogger<CallBatchService> logger)
{
    /// <summary>Most row errors a create response lists (the total is always given).</summary>
    public const int MaxReportedErrors = 100;

    public async Task<CallBatchCreateResult> CreateAsync(string accountSid, IAsyncEnumerable<BatchRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var started = time.GetUtcNow();
        var batchSid = Sid.NewTimeOrdered(CallBatchRecord.SidPrefix, started);
        var errors = new List<BatchRowError>();
        var chunk = new List<CallRecord>(CallStore.MaxTransactionSize);
        CallBatchRecord? batch = null;
        int accepted = 0, rejected = 0;
        string? first = null, last = null;

        void Reject(BatchRow row, int code, string message)
        {
            rejected++;
            if (errors.Count < MaxReportedErrors)
            {
                errors.Add(new BatchRowError(row.Row, row.Line, code, message));
            }
        }

        async Task FlushAsync()
        {
            if (chunk.Count == 0)
            {
                return;
            }

            // The batch record exists before any of its calls, so admission and cancel always find it.
            batch ??= await batches.CreateAsync(
                new CallBatchRecord
                {
                    Sid = batchSid,
                    AccountSid = accountSid,
                    CountsKept = true,
                    FirstCallSid = Sid.CallPrefix + new string('0', 32),
                    LastCallSid = Sid.TimeOrderedLowerBound(Sid.CallPrefix, started)[..18] + new string('f', 16),
                    DateCreated = started,
                    DateUpdated = started,
                },
                cancellationToken);
            await calls.CreateManyAsync(chunk, cancellationToken);

            // Counted as queued before admit-calls can move any of them (the counters hold only the moves).
            var count = accepted + chunk.Count;
            batch = await batches.UpdateAsync(accountSid, batchSid, b => b with { CallCount = count }, cancellationToken) ?? batch;
            await queue.SendAsync(
                QueueNames.CallRequests,
                new CallBatchMessage
                {
                    Kind = CallBatchMessage.ChunkKind,
                    BatchSid = batchSid,
                    AccountSid = accountSid,
                    CallSids = chunk.Select(c => c.Sid).ToList(),
                    RequestedAt = time.GetUtcNow(),
                },
                cancellationToken: cancellationToken);
            foreach (var call in chunk)
            {
                first = first is null || string.CompareOrdinal(call.Sid, first) < 0 ? call.Sid : first;
                last = last is null || string.CompareOrdinal(call.Sid, last) > 0 ? call.Sid : last;
            }

            accepted += chunk.Count;
            chunk.Clear();
        }

        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (row.Row > CallBatchRecord.MaxRows)
            {
                Reject(row, TwilioErrorCodes.InvalidParameter, $"A batch holds at most {CallBatchRecord.MaxRows} rows; this row and the rest of the body were not read.");
                break;
            }

            if (row.Parameters is null)
            {
                Reject(row, TwilioErrorCodes.InvalidParameter, row.Error ?? "The row could not be read.");
                continue;
            }

            try
            {
                chunk.Add(CallCreateParser.Parse(row.Parameters, accountSid, time.GetUtcNow()) with { BatchSid = batchSid });
            }
            catch (TwilioException e)
            {
                Reject(row, e.Error.Code, e.Error.Message);
                continue;
            }

            if (chunk.Count == CallStore.MaxTransactionSize)
            {
                await FlushAsync();
            }
        }

        await FlushAsync();
        if (batch is null)
        {
            logger.LogInformation("Call batch refused for {AccountSid}: no valid row among {Rejected}", accountSid, rejected);
            return new CallBatchCreateResult(null, errors, rejected);
        }

        var done = time.GetUtcNow();
        batch = await batches.UpdateAsync(
            accountSid,
            batchSid,
            b => b with { CallCount = accepted, RejectedCount = rejected, UploadComplete = true, FirstCallSid = first, LastCallSid = last, DateUpdated = done },
            cancellationToken) ?? batch;
        logger.LogInformation(
            "Call batch {BatchSid} of {AccountSid}: {Accepted} calls queued, {Rejected} rows refused in {ElapsedMs} ms",
            batchSid, accountSid, accepted, rejected, (long)(done - started).TotalMilliseconds);
        return new CallBatchCreateResult(await ProgressAsync(batch, cancellationToken), errors, rejected);
    }

    public async Task<CallBatchProgress> GetAsync(string accountSid, string batchSid, CancellationToken cancellationToken = default) =>
        await ProgressAsync(await batches.GetAsync(accountSid, batchSid, cancellationToken) ?? throw NotFound(batchSid), cancellationToken);

    /// <summary>The tenant's batches, newest first, with their calls counted.</summary>
    public async Task<Page<CallBatchProgress>> ListAsync(string accountSid, PagingRequest paging, CancellationToken cancellationToken = default)
    {
        var page = await PageReader.ReadAsync(paging, (size, after) => batches.ListAsync(accountSid, size, after, cancellationToken));
        var items = new List<CallBatchProgress>(page.Items.Count);
        foreach (var batch in page.Items)
        {
            items.Add(await ProgressAsync(batch, cancellationToken));
        }

        return new Page<CallBatchProgress>(items, page.NextToken);
    }

    /// <summary>
    /// Cancels the batch: it is marked canceled at once and admit-calls then cancels its calls that are still
    /// queued (page by page); calls already ringing or answered are left alone. Canceling twice changes nothing.
    /// </summary>
    public async Task<CallBatchProgress> CancelAsync(string accountSid, string batchSid, RequestParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var status = parameters.Single("Status");
        parameters.RejectUnread();
        if (status != "canceled")
        {
            throw RequestParameters.Invalid(TwilioErrorCodes.InvalidParameter, "Status must be 'canceled' (the only change a call batch takes).");
        }

        var changed = false;
        var batch = await batches.UpdateAsync(
            accountSid,
            batchSid,
            b =>
            {
                changed = b.State != CallBatchState.Canceled;
                return changed ? b with { State = CallBatchState.Canceled, DateUpdated = time.GetUtcNow() } : null;
            },
            cancellationToken) ?? throw NotFound(batchSid);
        if (changed)
        {
            await queue.SendAsync(
                QueueNames.CallRequests,
                new CallBatchMessage { Kind = CallBatchMessage.CancelKind, BatchSid = batchSid, AccountSid = accountSid, RequestedAt = time.GetUtcNow() },
                cancellationToken: cancellationToken);
            logger.LogInformation("Call batch {BatchSid} of {AccountSid} canceled", batchSid, accountSid);
        }

        return await ProgressAsync(batch, cancellationToken);
    }

    private async Task<CallBatchProgress> ProgressAsync(CallBatchRecord batch, CancellationToken cancellationToken)
    {
        var counts = batch.CountsKept ? await queries.CountersAsync(batch, cancellationToken) : await queries.CountAsync(batch, cancellationToken);
        var limits = await admission.GetLimitsAsync(batch.AccountSid, cancellationToken);
        return new CallBatchProgress(batch, counts, limits.CallsPerSecond);
    }

    private static TwilioException NotFound(string batchSid) =>
        new(TwilioError.NotFound($"/CallBatches/{ParameterRules.Truncate(batchSid)}"));
}
