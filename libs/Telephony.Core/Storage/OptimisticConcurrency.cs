using Azure;

namespace Telephony.Core.Storage;

/// <summary>
/// Read-modify-write with ETags: on 412 (someone else wrote first) the caller's whole
/// read-and-apply step runs again on the fresh entity, so no concurrent change is lost.
/// </summary>
public static class OptimisticConcurrency
{
    public const int MaxAttempts = 50;

    public static async Task<T> RetryAsync<T>(Func<int, Task<T>> attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        for (var i = 1; ; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await attempt(i);
            }
            catch (RequestFailedException e) when (IsConflict(e) && i < MaxAttempts)
            {
                // Lost the race: re-read and re-apply.
            }
        }
    }

    /// <summary>412 on update/delete with a stale ETag; 409 when an insert raced another insert.</summary>
    public static bool IsConflict(RequestFailedException e) => e?.Status is 412 or 409;
}
