namespace Telephony.Core.Calls;

/// <summary>
/// Where a call lives in the calls table: partition <c>{account sid}~{bucket}</c>, where the bucket is the first
/// <see cref="BucketDigits"/> hex digits of the call sid's inverted creation ticks (<see cref="Ids.Sid.NewTimeOrdered"/>),
/// so one partition holds the calls an account created within about 1.7 s, with their event rows and batch counter
/// rows. A point read or write finds the partition from the sid alone; a partition stays small however busy the
/// tenant (a store that scans a partition to find a row, like Azurite, stays fast, and Azure Storage's per-partition
/// throughput is never one tenant's ceiling). Partitions order like the sids in them, newest first, so an account's
/// calls are still one newest-first range: partition range <see cref="First"/>…<see cref="End"/>, and within
/// it RowKey order is sid order across partitions too.
/// </summary>
internal static class CallPartitions
{
    /// <summary>16^6 ticks (100 ns) = 1.68 s per bucket.</summary>
    public const int BucketDigits = 10;

    private const char Separator = '~';

    /// <summary>The partition of <paramref name="callSid"/> (a valid call sid) of <paramref name="accountSid"/>.</summary>
    public static string Of(string accountSid, string callSid) =>
        string.Concat(accountSid, Separator.ToString(), callSid.AsSpan(2, BucketDigits));

    /// <summary>The lowest partition of the account (its newest calls): an inclusive lower bound.</summary>
    public static string First(string accountSid) => accountSid + Separator;

    /// <summary>Above every partition of the account: an exclusive upper bound (<c>~</c> sorts after every hex digit).</summary>
    public static string End(string accountSid) => accountSid + Separator + Separator;

    /// <summary>The account a partition belongs to.</summary>
    public static string AccountOf(string partitionKey)
    {
        var separator = partitionKey.IndexOf(Separator, StringComparison.Ordinal);
        return separator < 0 ? partitionKey : partitionKey[..separator];
    }
}
