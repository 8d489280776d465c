using System.Text;
using Azure.Data.Tables;
using Telephony.Core.Ids;

namespace Telephony.Core.Calls;

/// <summary>Builds the OData filter of a call list: always a range of one partition, narrowed by the filters.</summary>
internal static class CallQueryFilter
{
    public static string Build(string accountSid, CallFilter filter, string? afterSid, string rangeEnd)
    {
        var text = new StringBuilder(TableClient.CreateQueryFilter($"PartitionKey eq {accountSid} and RowKey lt {rangeEnd}"));
        text.Append(afterSid is null
            ? TableClient.CreateQueryFilter($" and RowKey ge {Sid.CallPrefix}")
            : TableClient.CreateQueryFilter($" and RowKey gt {afterSid}"));

        if (filter.StartedBefore is { } before)
        {
            // Created no later than the latest start time asked for: sids at or after this bound.
            text.Append(TableClient.CreateQueryFilter($" and RowKey ge {Sid.TimeOrderedLowerBound(Sid.CallPrefix, before)}"));
            text.Append(TableClient.CreateQueryFilter($" and StartTime lt {before}"));
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
