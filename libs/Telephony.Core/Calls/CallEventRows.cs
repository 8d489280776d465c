using System.Globalization;
using Azure.Data.Tables;

namespace Telephony.Core.Calls;

/// <summary>
/// A call's events as rows of the calls table, in the call's partition next to its record (<see cref="CallPartitions"/>), so a change
/// and its event are written in one entity-group transaction. RowKey <c>EV~{call sid}~{sequence, 19 digits}</c>:
/// outside the calls' range ["CA", "CB") and the batch counters' <c>CB…~nn</c>, so call and batch queries never see
/// them, and one call's events are one RowKey range in sequence order.
/// </summary>
internal static class CallEventRows
{
    private const string Prefix = "EV~";

    public static string RowKey(string callSid, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{callSid}~{sequence:D19}");

    public static TableEntity ToEntity(CallEvent callEvent)
    {
        var entity = new TableEntity(CallPartitions.Of(callEvent.AccountSid, callEvent.CallSid), RowKey(callEvent.CallSid, callEvent.Sequence))
        {
            ["CallSid"] = callEvent.CallSid,
            ["Sequence"] = callEvent.Sequence,
            ["Timestamp_"] = callEvent.Timestamp,
            ["Type"] = callEvent.Type,
            ["Status"] = CallStatuses.ToWire(callEvent.Status),
            ["Detail"] = callEvent.Detail,
        };
        if (callEvent.CallbackId is not null)
        {
            entity["CallbackId"] = callEvent.CallbackId;
        }

        return entity;
    }

    public static CallEvent FromEntity(TableEntity e) => new()
    {
        CallSid = e.GetString("CallSid") ?? string.Empty,
        AccountSid = CallPartitions.AccountOf(e.PartitionKey),
        Sequence = e.GetInt64("Sequence") ?? 0,
        Timestamp = e.GetDateTimeOffset("Timestamp_") ?? default,
        Type = e.GetString("Type") ?? string.Empty,
        Status = CallStatuses.Parse(e.GetString("Status")),
        Detail = e.GetString("Detail"),
        CallbackId = e.GetString("CallbackId"),
    };
}
