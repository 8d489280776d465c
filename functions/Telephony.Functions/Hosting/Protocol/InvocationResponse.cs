using System.Text.Json.Serialization;

namespace Telephony.Functions.Hosting.Protocol;

/// <summary>The reply to the host: <c>{"Outputs": {...}, "Logs": [...], "ReturnValue": ...}</c>.</summary>
internal sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue)
{
    public static InvocationResponse Empty { get; } = new(new Dictionary<string, object?>(), [], null);

    public static InvocationResponse Failed(string log) => new(new Dictionary<string, object?>(), [log], null);
}
