using Azure.Data.Tables;
using Telephony.Core.Storage;

namespace Telephony.Core.Limits;

/// <summary>
/// A trunk's calls per second across the cluster. In the admission table, row <c>(trunkpace-{name}, pace)</c> holds
/// the trunk's next free start slot; slots lie 1 / CallsPerSecond apart (GCRA: a slot in the past means the trunk
/// is idle, so a call starts at once). A node reserves the next slot with an ETag-checked write, so two nodes never
/// get the same one, and then waits for it. Nodes with a trunk of the same name share its rate, as they share its
/// channels (<see cref="TrunkChannels"/>).
/// </summary>
public sealed class TrunkPacing
{
    private const string PaceRow = "pace";
    private readonly TableClient _table;
    private readonly TableReady _ready;
    private readonly TimeProvider _time;

    public TrunkPacing(StorageClients storage, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _table = storage.Table(TableNames.Admission);
        _ready = new TableReady(_table);
        _time = time;
    }

    /// <summary>
    /// Reserves the trunk's next start slot and returns how long to wait for it; null (nothing reserved) when that
    /// slot is more than <paramref name="maxWait"/> away.
    /// </summary>
    public async Task<TimeSpan?> TryReserveAsync(string trunk, double callsPerSecond, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(callsPerSecond);
        await _ready.EnsureAsync(cancellationToken);
        var partition = "trunkpace-" + Uri.EscapeDataString(trunk);
        var spacing = TimeSpan.FromSeconds(1 / callsPerSecond);
        return await OptimisticConcurrency.RetryAsync<TimeSpan?>(
            async _ =>
            {
                var stored = await _table.GetEntityIfExistsAsync<TableEntity>(partition, PaceRow, cancellationToken: cancellationToken);
                var now = _time.GetUtcNow();
                var next = stored.HasValue ? stored.Value!.GetDateTimeOffset("NextSlot") ?? now : now;
                var slot = next > now ? next : now;
                if (slot - now > maxWait)
                {
                    return null;
                }

                var reserved = new TableEntity(partition, PaceRow) { ["NextSlot"] = slot + spacing };
                if (stored.HasValue)
                {
                    await _table.UpdateEntityAsync(reserved, stored.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await _table.AddEntityAsync(reserved, cancellationToken);
                }

                return slot - now;
            },
            cancellationToken);
    }
}
