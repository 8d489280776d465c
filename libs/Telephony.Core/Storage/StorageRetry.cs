using Microsoft.Extensions.Logging;

namespace Telephony.Core.Storage;

/// <summary>
/// Retries a storage call that must not be lost (a call's status, a node's call index) through an outage:
/// exponential backoff from <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>, for at most
/// <paramref name="giveUpAfter"/>; refusals (404, 412…) are not retried here.
/// </summary>
public static class StorageRetry
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>Long enough to ride out a storage restart; short enough that a node never hangs on a lost store.</summary>
    public static readonly TimeSpan DefaultGiveUpAfter = TimeSpan.FromMinutes(2);

    public static async Task<T> RunAsync<T>(
        Func<CancellationToken, Task<T>> operation, TimeProvider time, ILogger logger, string what, CancellationToken cancellationToken, TimeSpan? giveUpAfter = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var deadline = time.GetUtcNow() + (giveUpAfter ?? DefaultGiveUpAfter);
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(cancellationToken);
            }
            catch (Exception e) when (StorageFaults.IsUnavailable(e) && time.GetUtcNow() + delay < deadline)
            {
                logger.LogWarning("Storage unavailable for {Operation} (attempt {Attempt}); retrying in {Delay}: {Error}", what, attempt, delay, e.Message);
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    public static Task RunAsync(
        Func<CancellationToken, Task> operation, TimeProvider time, ILogger logger, string what, CancellationToken cancellationToken, TimeSpan? giveUpAfter = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RunAsync(
            async token =>
            {
                await operation(token);
                return true;
            },
            time, logger, what, cancellationToken, giveUpAfter);
    }
}
