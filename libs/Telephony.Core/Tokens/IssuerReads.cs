using System.Collections.Concurrent;
using Telephony.Core.Accounts;

namespace Telephony.Core.Tokens;

/// <summary>
/// The key and account reads a token check needs. With a freshness of zero every check reads storage (a deleted
/// key stops its tokens at once); with a positive one, concurrent checks share one read and reuse it for that long,
/// so a node verifying thousands of REGISTERs per second from one tenant's key reads it about once per window.
/// A stale value is refreshed in the background while callers keep using it, but never one older than twice the
/// window: a revoked key or a suspended account stops within 2 × freshness.
/// </summary>
internal sealed class IssuerReads(AccountStore accounts, ApiKeyStore keys, TimeProvider time, TimeSpan freshness)
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, Entry<ApiKeyRecord?>> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<AccountRecord?>> _accounts = new(StringComparer.Ordinal);

    public Task<ApiKeyRecord?> KeyAsync(string accountSid, string keySid, CancellationToken cancellationToken) =>
        freshness <= TimeSpan.Zero
            ? keys.GetAsync(accountSid, keySid, cancellationToken)
            : Shared(_keys, accountSid + "|" + keySid, () => keys.GetAsync(accountSid, keySid, CancellationToken.None), cancellationToken);

    public Task<AccountRecord?> AccountAsync(string accountSid, CancellationToken cancellationToken) =>
        freshness <= TimeSpan.Zero
            ? accounts.GetAsync(accountSid, cancellationToken)
            : Shared(_accounts, accountSid, () => accounts.GetAsync(accountSid, CancellationToken.None), cancellationToken);

    private Task<T> Shared<T>(ConcurrentDictionary<string, Entry<T>> cache, string key, Func<Task<T>> read, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(key, out var entry) && !entry.Read.IsFaulted && !entry.Read.IsCanceled)
        {
            if (!entry.Read.IsCompleted)
            {
                // A refresh is on its way: answer from the value it replaces while that one is young enough.
                return entry.Previous is { } previous && now - previous.StartedAt < 2 * freshness
                    ? previous.Read
                    : entry.Read.WaitAsync(cancellationToken);
            }

            if (now - entry.StartedAt < freshness)
            {
                return entry.Read;
            }

            // Stale: one caller starts the refresh; everyone keeps the last value until it lands (bounded above).
            var refresh = new Entry<T>(read(), now, entry with { Previous = null });
            return cache.TryUpdate(key, refresh, entry) && now - entry.StartedAt < 2 * freshness
                ? entry.Read
                : Shared(cache, key, read, cancellationToken);
        }

        if (cache.Count >= MaxEntries)
        {
            cache.Clear();
        }

        // The shared read is not tied to one caller's cancellation; each caller stops waiting on its own.
        var fresh = new Entry<T>(read(), now, null);
        cache[key] = fresh;
        return fresh.Read.WaitAsync(cancellationToken);
    }

    private sealed record Entry<T>(Task<T> Read, DateTimeOffset StartedAt, Entry<T>? Previous);
}
