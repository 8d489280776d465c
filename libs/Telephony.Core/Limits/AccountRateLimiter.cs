using System.Collections.Concurrent;

namespace Telephony.Core.Limits;

/// <summary>
/// Per-account API request limits, one <see cref="TokenBucket"/> per account in this process.
/// Each API instance limits on its own, so the platform-wide ceiling is this times the instance count.
/// </summary>
public sealed class AccountRateLimiter(double requestsPerSecond, double burst, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);

    public bool TryAcquire(string accountSid, out TimeSpan retryAfter) =>
        _buckets.GetOrAdd(accountSid, _ => new TokenBucket(requestsPerSecond, burst, time)).TryTake(out retryAfter);
}
