using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Telephony.Functions.Hosting.Protocol;

/// <summary>
/// Builds invocation bodies shaped exactly like the real Functions host's (values JSON-serialized
/// once more, numbers as strings, a <c>sys</c> object), so local host mode exercises the same
/// parsing path a deployment does.
/// </summary>
internal static class TriggerPayloadWriter
{
    public static JsonObject QueueInvocation(
        string methodName,
        string bindingName,
        string body,
        string id,
        long dequeueCount,
        DateTimeOffset? insertionTime,
        DateTimeOffset? expirationTime,
        DateTimeOffset? nextVisibleTime,
        string popReceipt,
        DateTimeOffset utcNow)
    {
        var metadata = new JsonObject
        {
            ["DequeueCount"] = dequeueCount.ToString(CultureInfo.InvariantCulture),
            ["Id"] = Quote(id),
            ["PopReceipt"] = Quote(popReceipt),
            ["QueueTrigger"] = Quote(body),
            ["sys"] = Sys(methodName, utcNow),
        };
        AddTime(metadata, "InsertionTime", insertionTime);
        AddTime(metadata, "ExpirationTime", expirationTime);
        AddTime(metadata, "NextVisibleTime", nextVisibleTime);
        return new JsonObject
        {
            ["Data"] = new JsonObject { [bindingName] = Quote(body) },
            ["Metadata"] = metadata,
        };
    }

    public static JsonObject TimerInvocation(
        string methodName,
        string bindingName,
        bool isPastDue,
        DateTimeOffset? last,
        DateTimeOffset next,
        DateTimeOffset lastUpdated,
        DateTimeOffset utcNow) => new()
        {
            ["Data"] = new JsonObject
            {
                [bindingName] = new JsonObject
                {
                    ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = new JsonObject
                    {
                        ["Last"] = last is { } l ? Iso(l) : null,
                        ["Next"] = Iso(next),
                        ["LastUpdated"] = Iso(lastUpdated),
                    },
                    ["IsPastDue"] = isPastDue,
                },
            },
            ["Metadata"] = new JsonObject { ["sys"] = Sys(methodName, utcNow) },
        };

    private static JsonObject Sys(string methodName, DateTimeOffset utcNow) => new()
    {
        ["MethodName"] = methodName,
        ["UtcNow"] = Iso(utcNow),
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };

    private static void AddTime(JsonObject metadata, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            metadata[name] = Iso(time);
        }
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value);

    private static string Iso(DateTimeOffset value) => value.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);
}
