using System.Text.Json;
using Telephony.Functions.Hosting.Configuration;

namespace Telephony.Functions.Hosting.Protocol;

/// <summary>Turns an invocation request into the typed trigger value a function receives.</summary>
internal static class TriggerPayloadReader
{
    public static QueueTriggerMessage ReadQueueMessage(string functionName, InvocationRequest request, string? bindingName)
    {
        var body = TolerantJson.ReadString(request.TriggerValue(bindingName))
            ?? throw new InvocationFormatException("the queue message is null");
        return new QueueTriggerMessage(
            functionName,
            body,
            Read(request, "Id", TolerantJson.ReadString),
            Read(request, "DequeueCount", TolerantJson.ReadInt64) ?? 1,
            Read(request, "InsertionTime", TolerantJson.ReadDateTimeOffset),
            Read(request, "ExpirationTime", TolerantJson.ReadDateTimeOffset),
            Read(request, "NextVisibleTime", TolerantJson.ReadDateTimeOffset),
            Read(request, "PopReceipt", TolerantJson.ReadString));
    }

    public static TimerTriggerInfo ReadTimer(string functionName, InvocationRequest request, string? bindingName)
    {
        var timer = TolerantJson.ReadObject(request.TriggerValue(bindingName))
            ?? throw new InvocationFormatException("the timer trigger value is not an object");
        DateTimeOffset? last = null, next = null, lastUpdated = null;
        if (timer.TryGet("ScheduleStatus", out var status) && TolerantJson.ReadObject(status) is { } statusObject)
        {
            last = statusObject.TryGet("Last", out var l) ? TolerantJson.ReadDateTimeOffset(l) : null;
            next = statusObject.TryGet("Next", out var n) ? TolerantJson.ReadDateTimeOffset(n) : null;
            lastUpdated = statusObject.TryGet("LastUpdated", out var u) ? TolerantJson.ReadDateTimeOffset(u) : null;
        }

        var pastDue = timer.TryGet("IsPastDue", out var p) && (TolerantJson.ReadBoolean(p) ?? false);
        return new TimerTriggerInfo(functionName, pastDue, last, next, lastUpdated);
    }

    private static T? Read<T>(InvocationRequest request, string name, Func<JsonElement, T?> read) =>
        request.MetadataValue(name) is { } value ? read(value) : default;
}
