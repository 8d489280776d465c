using System.Text.Json;

namespace Telephony.Functions.Hosting.Configuration;

/// <summary>The parts of host.json the local host honours (the real host reads the same file).</summary>
internal sealed record HostSettings(CustomHandlerSettings CustomHandler, string HttpRoutePrefix, QueueTriggerSettings Queues)
{
    public static HostSettings Parse(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json, JsonProperties.DocumentOptions);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("the document is not a JSON object");
            }

            var customHandler = CustomHandlerSettings.Default;
            if (root.TryGet("customHandler", out var handler))
            {
                customHandler = CustomHandlerSettings.Parse(handler);
            }

            var routePrefix = "api";
            var queues = QueueTriggerSettings.Default;
            if (root.TryGet("extensions", out var extensions))
            {
                if (extensions.TryGet("http", out var http))
                {
                    routePrefix = http.GetString("routePrefix") ?? routePrefix;
                }

                if (extensions.TryGet("queues", out var queueSection))
                {
                    queues = QueueTriggerSettings.Parse(queueSection);
                }
            }

            return new HostSettings(customHandler, routePrefix, queues);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw new InvalidOperationException($"{source} is not a valid host.json: {ex.Message}", ex);
        }
    }
}

internal sealed record CustomHandlerSettings(string? DefaultExecutablePath, IReadOnlyList<string> Arguments, bool EnableForwardingHttpRequest)
{
    public static readonly CustomHandlerSettings Default = new(null, [], false);

    public static CustomHandlerSettings Parse(JsonElement section)
    {
        string? executable = null;
        var arguments = new List<string>();
        if (section.TryGet("description", out var description))
        {
            executable = description.GetString("defaultExecutablePath");
            if (description.TryGet("arguments", out var args) && args.ValueKind == JsonValueKind.Array)
            {
                arguments.AddRange(args.EnumerateArray().Select(a => a.GetString() ?? string.Empty));
            }
        }

        return new CustomHandlerSettings(executable, arguments, section.GetBoolean("enableForwardingHttpRequest") ?? false);
    }
}

/// <summary>extensions.queues with the Functions host's defaults for anything not set.</summary>
internal sealed record QueueTriggerSettings(
    int BatchSize,
    int NewBatchThreshold,
    int MaxDequeueCount,
    TimeSpan VisibilityTimeout,
    TimeSpan MaxPollingInterval,
    string MessageEncoding)
{
    public static readonly QueueTriggerSettings Default = new(16, 8, 5, TimeSpan.Zero, TimeSpan.FromMinutes(1), "base64");

    public static QueueTriggerSettings Parse(JsonElement section)
    {
        var batchSize = section.GetInt32("batchSize") ?? Default.BatchSize;
        if (batchSize is < 1 or > 32)
        {
            throw new FormatException($"extensions.queues.batchSize must be 1-32 (got {batchSize})");
        }

        var maxDequeueCount = section.GetInt32("maxDequeueCount") ?? Default.MaxDequeueCount;
        if (maxDequeueCount < 1)
        {
            throw new FormatException($"extensions.queues.maxDequeueCount must be at least 1 (got {maxDequeueCount})");
        }

        var maxPolling = section.GetTimeSpan("maxPollingInterval") ?? Default.MaxPollingInterval;
        if (maxPolling < TimeSpan.FromMilliseconds(100))
        {
            throw new FormatException("extensions.queues.maxPollingInterval must be at least 00:00:00.1");
        }

        var encoding = section.GetString("messageEncoding") ?? Default.MessageEncoding;
        if (!encoding.Equals("base64", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"extensions.queues.messageEncoding must be base64 or none (got '{encoding}')");
        }

        return new QueueTriggerSettings(
            batchSize,
            section.GetInt32("newBatchThreshold") ?? (batchSize / 2),
            maxDequeueCount,
            section.GetTimeSpan("visibilityTimeout") ?? Default.VisibilityTimeout,
            maxPolling,
            encoding.ToLowerInvariant());
    }
}
