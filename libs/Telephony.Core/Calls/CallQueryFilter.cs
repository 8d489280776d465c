using System.Text;
using Azure.Data.Tables;
using Telephony.Core.Ids;

namespace Telephony.Core.Calls;

/// <summary>
/// Builds the OData filter of a call list: always one range of the account's partitions (<see cref="CallPartitions"/>),
/// starting at the partition of the sid it continues after (or of the newest call the time filter allows), narrowed by
/// the filters. Partitions order like the sids in them, so partition then RowKey order is newest first throughout.
/// </summary>
internal static class CallQueryFilter
{
    public static string Build(string accountSid, CallFilter filter, string? afterSid, string rangeEnd)
    {
        // Created no later than the latest start time asked for: sids at or after this bound.
        var newest = filter.StartedBefore is { } before ? Sid.TimeOrderedLowerBound(Sid.CallPrefix, before) : null;
        var start = (afterSid, newest) switch
        {
            ({ } continued, { } bound) => string.CompareOrdinal(continued, bound) > 0 ? continued : bound,
            ({ } continued, null) => continued,
            (null, { } bound) => bound,
            _ => null,
        };
        var text = new StringBuilder(TableClient.CreateQueryFilter(
            $"PartitionKey ge {(start is null ? CallPartitions.First(accountSid) : CallPartitions.Of(accountSid, start))} and PartitionKey lt {CallPartitions.End(accountSid)} and RowKey lt {rangeEnd}"));
        text.Append(afterSid is null
            ? TableClient.CreateQueryFilter($" and RowKey ge {Sid.CallPrefix}")
            : TableClient.CreateQueryFilter($" and RowKey gt {afterSid}"));

        if (filter.StartedBefore is { } startedBefore)
        {
            text.Append(TableClient.CreateQueryFilter($" and RowKey ge {newest}"));
            text.Append(TableClient.CreateQueryFilter($" and StartTime lt {startedBefore}"));
        }

        if (filter.StartedAtOrAfter is { } after)
        {
            text.Append(TableClient.CreateQueryFilter($" and StartTime ge {after}"));
        }

        if (filter.To is { } to)
        {
            text.Append(TableClient.CreateQueryFilter($" and To eq {to}"));
        }

        if (filter.From is { } from)
        {
            text.Append(TableClient.CreateQueryFilter($" and From eq {from}"));
        }

        if (filter.Status is { } status)
        {
            text.Append(TableClient.CreateQueryFilter($" and Status eq {CallStatuses.ToWire(status)}"));
        }

        if (filter.ParentCallSid is { } parent)
        {
            text.Append(TableClient.CreateQueryFilter($" and ParentCallSid eq {parent}"));
        }

        if (filter.BatchSid is { } batch)
        {
            text.Append(TableClient.CreateQueryFilter($" and BatchSid eq {batch}"));
        }

        return text.ToString();
    }
}
