using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telephony.Core.Messaging;

/// <summary>
/// The message the API puts on <see cref="QueueNames.CallRequests"/> for each created call. It names
/// the call; the call record in Tables holds everything else, so the message stays small and the
/// record stays the single source of truth (a canceled call is seen as canceled wherever it is read).
/// </summary>
public sealed record CallRequestMessage
{
    public required string CallSid { get; init; }

    public required string AccountSid { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>W3C traceparent of the span that wrote the message (optional; older messages have none).</summary>
    public string? TraceParent { get; init; }

    /// <summary>Format version, so readers can refuse what they do not understand.</summary>
    public int Version { get; init; } = 1;
}

/// <summary>The one JSON format of queue messages (camelCase), shared by writers and readers.</summary>
public static class MessageJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize<T>(T message) => JsonSerializer.Serialize(message, Options);

    /// <summary>Reads a message; malformed JSON or missing required fields throw <see cref="JsonException"/>.</summary>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("empty message");
}
