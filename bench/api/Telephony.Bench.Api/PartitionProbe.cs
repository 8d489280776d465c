using System.Diagnostics;
using Azure.Data.Tables;
using Telephony.Core.Storage;

namespace Telephony.Bench.Api;

/// <summary>
/// Tells whether a slow batch create is the storage's doing: times one 100-entity insert transaction into the
/// tenant's partition of the calls table (which now holds the batch's calls) and one into an empty partition of the
/// same table, at the same moment (median of 3 each). Azure Storage finds a row by its keys; in-memory Azurite
/// (LokiJS) looks up the partition by index but then scans it for the row key, for each entity inserted.
/// The probe rows use row keys outside the call-sid range and are left in place.
/// </summary>
internal static class PartitionProbe
{
    public static async Task<(TimeSpan TenantPartition, TimeSpan EmptyPartition)> RunAsync(StorageClients storage, string accountSid)
    {
        var table = storage.Table(TableNames.Calls);
        var tenant = new List<TimeSpan>();
        var empty = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            tenant.Add(await InsertHundredAsync(table, accountSid));
            empty.Add(await InsertHundredAsync(table, "probe-" + Guid.NewGuid().ToString("N")));
        }

        return (Median(tenant), Median(empty));
    }

    private static async Task<TimeSpan> InsertHundredAsync(TableClient table, string partitionKey)
    {
        var prefix = "zz-probe-" + Guid.NewGuid().ToString("N") + "-";
        var actions = Enumerable.Range(0, 100).Select(i => new TableTransactionAction(
            TableTransactionActionType.Add, new TableEntity(partitionKey, prefix + i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)) { ["Probe"] = true }));
        var watch = Stopwatch.StartNew();
        await table.SubmitTransactionAsync(actions);
        return watch.Elapsed;
    }

    private static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);
}
