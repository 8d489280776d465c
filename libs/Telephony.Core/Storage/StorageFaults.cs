using Azure;

namespace Telephony.Core.Storage;

/// <summary>
/// Tells a storage outage (no answer, timeout, throttling, 5xx) from a refusal (404, 409, 412…). Azure.Core
/// retries a dead endpoint itself and then throws an <see cref="AggregateException"/> of the attempts, so
/// both shapes count.
/// </summary>
public static class StorageFaults
{
    public static bool IsUnavailable(Exception? exception) => exception switch
    {
        // Status 0: no HTTP response at all (connection refused or reset).
        RequestFailedException e => e.Status is 0 or 408 or 429 or >= 500,
        AggregateException e => e.InnerExceptions.Count > 0 && e.InnerExceptions.All(IsUnavailable),
        HttpRequestException or IOException => true,
        _ => false,
    };

    /// <summary>Any storage failure a worker loop should log and survive (refusals and outages alike).</summary>
    public static bool IsStorageFailure(Exception? exception) => exception is RequestFailedException || IsUnavailable(exception);
}
