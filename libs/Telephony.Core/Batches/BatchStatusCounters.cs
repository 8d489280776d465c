using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Telephony.Core.Calls;

namespace Telephony.Core.Batches;

/// <summary>
/// A batch's progress kept current as its calls change status, so fetching a batch reads a few small rows
/// instead of every call. The rows sit in the calls table, in each call's partition next to it (<see cref="CallPartitions"/>),
/// so a call's status write and its counter change go in one Table transaction (both ETag-checked): a change is
/// counted exactly when it is stored, never twice and never lost, whoever writes it (node, API, admit-calls). A batch
/// whose calls were created over several partitions' time has shard rows in each; reading sums them all.
/// <para>
/// A batch has <see cref="Shards"/> rows (RowKey <c>{CB sid}~{nn}</c>; RowKeys of calls lie in ["CA", "CB"), so
/// call lists never see them); a call always counts in the shard its sid picks, so concurrent calls of one
/// batch rarely touch the same row. Each row holds, per status, how many calls moved into it minus how many
/// moved out; every call starts queued, so the batch's counts are those sums plus its call count as queued.
/// </para>
/// </summary>
public static class BatchStatusCounters
{
    /// <summary>Rows per batch: 16 keeps hot-row conflicts rare at hundreds of status changes a second.</summary>
    public const int Shards = 16;

    private const char Separator = '~';

    /// <summary>The RowKey of the shard that counts <paramref name="callSid"/> (its last hex digit is random).</summary>
    public static string ShardRowKey(string batchSid, string callSid)
    {
        ArgumentException.ThrowIfNullOrEmpty(callSid);
        var shard = int.Parse(callSid.AsSpan(callSid.Length - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture) % Shards;
        return RowKey(batchSid, shard);
    }

    /// <summary>
    /// The transaction step that moves one call from <paramref name="from"/> to <paramref name="to"/> in its shard:
    /// an insert when the shard row does not exist yet (<paramref name="shard"/> null), else a replace guarded by
    /// the ETag the row was read with. Either fails the whole transaction on a race (409 / 412), which the caller
    /// retries from a fresh read.
    /// </summary>
    public static TableTransactionAction Move(string partition, string rowKey, TableEntity? shard, CallStatus from, CallStatus to)
    {
        var row = new TableEntity(partition, rowKey);
        if (shard is not null)
        {
            foreach (var status in Enum.GetValues<CallStatus>())
            {
                row[status.ToString()] = Delta(shard, status);
            }
        }

        row[from.ToString()] = Delta(row, from) - 1;
        row[to.ToString()] = Delta(row, to) + 1;
        return shard is null
            ? new TableTransactionAction(TableTransactionActionType.Add, row)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, shard.ETag);
    }

    /// <summary>The shard row as stored now, or null when no call of the batch has counted in it yet.</summary>
    public static async Task<TableEntity?> ReadShardAsync(TableClient calls, string partition, string rowKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var row = await calls.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>The batch's calls by status: one range read of its shard rows, over the partitions its calls were created in.</summary>
    public static async Task<Dictionary<CallStatus, int>> ReadAsync(TableClient calls, CallBatchRecord batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentNullException.ThrowIfNull(batch);
        var counts = new Dictionary<CallStatus, int> { [CallStatus.Queued] = batch.CallCount };
        if (batch.FirstCallSid is null || batch.LastCallSid is null)
        {
            return counts.Where(c => c.Value != 0).ToDictionary();
        }

        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {CallPartitions.Of(batch.AccountSid, batch.FirstCallSid)} and PartitionKey le {CallPartitions.Of(batch.AccountSid, batch.LastCallSid)} and RowKey ge {RowKey(batch.Sid, 0)} and RowKey le {RowKey(batch.Sid, Shards - 1)}");
        try
        {
            await foreach (var shard in calls.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
            {
                foreach (var status in Enum.GetValues<CallStatus>())
                {
                    counts[status] = counts.GetValueOrDefault(status) + Delta(shard, status);
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No call table yet: nothing has moved.
        }

        return counts.Where(c => c.Value != 0).ToDictionary();
    }

    private static string RowKey(string batchSid, int shard) =>
        batchSid + Separator + shard.ToString("D2", CultureInfo.InvariantCulture);

    private static int Delta(TableEntity row, CallStatus status) => row.GetInt32(status.ToString()) ?? 0;
}
