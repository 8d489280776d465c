using System.Text.Json;
using Telephony.Functions.Hosting.Configuration;

namespace Telephony.Functions.Hosting.Protocol;

/// <summary>The body the Functions host POSTs to <c>/{FunctionName}</c>: <c>{"Data": {...}, "Metadata": {...}}</c>.</summary>
internal sealed class InvocationRequest
{
    private InvocationRequest(JsonElement data, JsonElement metadata)
    {
        Data = data;
        Metadata = metadata;
    }

    public JsonElement Data { get; }

    public JsonElement Metadata { get; }

    /// <summary>Parses an invocation body; anything that is not a JSON object with a Data object throws <see cref="InvocationFormatException"/>.</summary>
    public static InvocationRequest Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvocationFormatException("the invocation body must be a JSON object with Data and Metadata");
        }

        if (!root.TryGet("Data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw new InvocationFormatException("the invocation body has no Data object");
        }

        var metadata = root.TryGet("Metadata", out var meta) && meta.ValueKind == JsonValueKind.Object ? meta : default;
        return new InvocationRequest(data, metadata);
    }

    /// <summary>The trigger value: by the binding name from function.json, else the only Data entry.</summary>
    public JsonElement TriggerValue(string? bindingName)
    {
        if (bindingName is not null && Data.TryGet(bindingName, out var named))
        {
            return named;
        }

        var entries = Data.EnumerateObject().ToList();
        return entries.Count == 1
            ? entries[0].Value
            : throw new InvocationFormatException(
                bindingName is null
                    ? $"Data has {entries.Count} entries and the trigger binding name is unknown"
                    : $"Data has no '{bindingName}' entry");
    }

    public JsonElement? MetadataValue(string name) =>
        Metadata.ValueKind == JsonValueKind.Object && Metadata.TryGet(name, out var value) ? value : null;
}
