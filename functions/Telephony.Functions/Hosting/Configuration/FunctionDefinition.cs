using System.Text.Json;

namespace Telephony.Functions.Hosting.Configuration;

/// <summary>Trigger types this program implements.</summary>
internal enum TriggerKind
{
    Http,
    Queue,
    Timer,
}

/// <summary>One function folder's function.json, reduced to its trigger (this app has no other input bindings).</summary>
internal sealed record FunctionDefinition(string Name, TriggerBinding Trigger, bool Disabled)
{
    public static FunctionDefinition Parse(string name, string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json, JsonProperties.DocumentOptions);
            var root = document.RootElement;
            if (!root.TryGet("bindings", out var bindings) || bindings.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("it has no \"bindings\" array");
            }

            var triggers = bindings.EnumerateArray()
                .Where(b => (b.GetString("type") ?? string.Empty).EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (triggers.Count != 1)
            {
                throw new FormatException($"it must have exactly one trigger binding (found {triggers.Count})");
            }

            return new FunctionDefinition(name, TriggerBinding.Parse(triggers[0]), root.GetBoolean("disabled") ?? false);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw new InvalidOperationException($"{source} is not a valid function.json: {ex.Message}", ex);
        }
    }
}

/// <summary>The trigger binding of a function.json; which properties are set depends on <see cref="Kind"/>.</summary>
internal sealed record TriggerBinding(
    TriggerKind Kind,
    string Name,
    string? QueueName = null,
    string? Connection = null,
    string? Schedule = null,
    bool RunOnStartup = false,
    string? Route = null,
    IReadOnlyList<string>? Methods = null)
{
    public static TriggerBinding Parse(JsonElement binding)
    {
        var type = binding.GetString("type")!;
        var name = binding.GetString("name");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new FormatException($"the {type} binding has no \"name\"");
        }

        if (type.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase))
        {
            var queue = binding.GetString("queueName");
            return string.IsNullOrWhiteSpace(queue)
                ? throw new FormatException("the queueTrigger binding has no \"queueName\"")
                : new TriggerBinding(TriggerKind.Queue, name, QueueName: queue, Connection: binding.GetString("connection"));
        }

        if (type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase))
        {
            var schedule = binding.GetString("schedule");
            return string.IsNullOrWhiteSpace(schedule)
                ? throw new FormatException("the timerTrigger binding has no \"schedule\"")
                : new TriggerBinding(TriggerKind.Timer, name, Schedule: schedule, RunOnStartup: binding.GetBoolean("runOnStartup") ?? false);
        }

        if (type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase))
        {
            IReadOnlyList<string>? methods = binding.TryGet("methods", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Select(m => (m.GetString() ?? string.Empty).ToUpperInvariant()).ToList()
                : null;
            return new TriggerBinding(TriggerKind.Http, name, Route: binding.GetString("route"), Methods: methods);
        }

        throw new FormatException($"trigger type '{type}' is not supported by this app (httpTrigger, queueTrigger, timerTrigger)");
    }
}
