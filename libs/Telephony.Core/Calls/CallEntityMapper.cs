using Azure.Data.Tables;

namespace Telephony.Core.Calls;

/// <summary>Maps <see cref="CallRecord"/> to and from its Table entity (PartitionKey = <see cref="CallPartitions"/>, RowKey = call sid).</summary>
internal static class CallEntityMapper
{
    public static TableEntity ToEntity(CallRecord call)
    {
        var i = call.Instructions;
        var o = call.Options;
        return new TableEntity(CallPartitions.Of(call.AccountSid, call.Sid), call.Sid)
        {
            ["ParentCallSid"] = call.ParentCallSid,
            ["BatchSid"] = call.BatchSid,
            ["To"] = call.To,
            ["From"] = call.From,
            ["Status"] = CallStatuses.ToWire(call.Status),
            ["Direction"] = call.Direction,
            ["DateCreated"] = call.DateCreated,
            ["DateUpdated"] = call.DateUpdated,
            ["StartTime"] = call.StartTime,
            ["EndTime"] = call.EndTime,
            ["Duration"] = call.Duration,
            ["AnsweredBy"] = call.AnsweredBy,
            ["CallerName"] = call.CallerName,
            ["NodeId"] = call.NodeId,
            ["QueueTime"] = call.QueueTime,
            ["EventSequence"] = call.EventSequence,
            ["CreatedEventPending"] = call.CreatedEventPending ? true : null,
            ["StatusCallbacksQueued"] = call.StatusCallbacksQueued,
            ["Url"] = i.Url,
            ["Method"] = i.Method,
            ["Twiml"] = i.Twiml,
            ["FallbackUrl"] = i.FallbackUrl,
            ["FallbackMethod"] = i.FallbackMethod,
            ["StatusCallback"] = i.StatusCallback,
            ["StatusCallbackMethod"] = i.StatusCallbackMethod,
            ["StatusCallbackEvents"] = string.Join(' ', i.StatusCallbackEvents),
            ["Timeout"] = o.Timeout,
            ["TimeLimit"] = o.TimeLimit,
            ["SendDigits"] = o.SendDigits,
            ["Record"] = o.Record,
            ["RecordingChannels"] = o.RecordingChannels,
            ["RecordingStatusCallback"] = o.RecordingStatusCallback,
            ["RecordingStatusCallbackMethod"] = o.RecordingStatusCallbackMethod,
            ["RecordingStatusCallbackEvents"] = string.Join(' ', o.RecordingStatusCallbackEvents),
            ["RecordingTrack"] = o.RecordingTrack,
            ["Trim"] = o.Trim,
        };
    }

    public static CallRecord FromEntity(TableEntity e)
    {
        return new CallRecord
        {
            Sid = e.RowKey,
            AccountSid = CallPartitions.AccountOf(e.PartitionKey),
            ParentCallSid = e.GetString("ParentCallSid"),
            BatchSid = e.GetString("BatchSid"),
            To = e.GetString("To") ?? string.Empty,
            From = e.GetString("From") ?? string.Empty,
            Status = CallStatuses.Parse(e.GetString("Status")),
            Direction = e.GetString("Direction") ?? "outbound-api",
            DateCreated = e.GetDateTimeOffset("DateCreated") ?? default,
            DateUpdated = e.GetDateTimeOffset("DateUpdated") ?? default,
            StartTime = e.GetDateTimeOffset("StartTime"),
            EndTime = e.GetDateTimeOffset("EndTime"),
            Duration = e.GetInt32("Duration"),
            AnsweredBy = e.GetString("AnsweredBy"),
            CallerName = e.GetString("CallerName"),
            NodeId = e.GetString("NodeId"),
            QueueTime = e.GetInt64("QueueTime"),
            EventSequence = e.GetInt64("EventSequence") ?? 0,
            CreatedEventPending = e.GetBoolean("CreatedEventPending") ?? false,
            StatusCallbacksQueued = e.GetInt32("StatusCallbacksQueued") ?? 0,
            ETag = e.ETag.ToString(),
            Instructions = new CallInstructions
            {
                Url = e.GetString("Url"),
                Method = e.GetString("Method") ?? "POST",
                Twiml = e.GetString("Twiml"),
                FallbackUrl = e.GetString("FallbackUrl"),
                FallbackMethod = e.GetString("FallbackMethod") ?? "POST",
                StatusCallback = e.GetString("StatusCallback"),
                StatusCallbackMethod = e.GetString("StatusCallbackMethod") ?? "POST",
                StatusCallbackEvents = SplitList(e.GetString("StatusCallbackEvents")),
            },
            Options = new CallOptions
            {
                Timeout = e.GetInt32("Timeout") ?? CallOptions.DefaultTimeout,
                TimeLimit = e.GetInt32("TimeLimit") ?? CallOptions.DefaultTimeLimit,
                SendDigits = e.GetString("SendDigits"),
                Record = e.GetBoolean("Record") ?? false,
                RecordingChannels = e.GetString("RecordingChannels"),
                RecordingStatusCallback = e.GetString("RecordingStatusCallback"),
                RecordingStatusCallbackMethod = e.GetString("RecordingStatusCallbackMethod") ?? "POST",
                RecordingStatusCallbackEvents = SplitList(e.GetString("RecordingStatusCallbackEvents")),
                RecordingTrack = e.GetString("RecordingTrack"),
                Trim = e.GetString("Trim"),
            },
        };
    }

    private static string[] SplitList(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
