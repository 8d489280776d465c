using System.Text.Json;

namespace Telephony.Functions.Hosting;

/// <summary>A decoded queue message with the trigger metadata the Functions host sends with it.</summary>
internal sealed record QueueTriggerMessage(
    string FunctionName,
    string Body,
    string? Id,
    long DequeueCount,
    DateTimeOffset? InsertionTime,
    DateTimeOffset? ExpirationTime,
    DateTimeOffset? NextVisibleTime,
    string? PopReceipt)
{
    /// <summary>Deserializes the body as JSON; a body that is not valid JSON for <typeparamref name="T"/> throws <see cref="JsonException"/>.</summary>
    public T BodyAs<T>(JsonSerializerOptions? options = null) =>
        JsonSerializer.Deserialize<T>(Body, options ?? JsonSerializerOptions.Web)
        ?? throw new JsonException($"the {FunctionName} message body is null");
}
