using System.Collections.Concurrent;

namespace Telephony.Core.Accounts;

/// <summary>
/// Accounts as the webhook signers read them (the instructions endpoint, callback delivery): kept for
/// <see cref="CacheFor"/>, so a busy tenant costs one read per period instead of one or two per call. The bound is
/// the security trade: a suspended or closed account, or a replaced auth token, takes effect on those paths within
/// <see cref="CacheFor"/> (API authentication never uses this cache). Unknown sids are not kept. Safe for concurrent callers.
/// </summary>
public sealed class CachedAccounts(AccountStore accounts, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (AccountRecord Account, DateTimeOffset Read)> _accounts = new(StringComparer.Ordinal);

    public async Task<AccountRecord?> GetAsync(string accountSid, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_accounts.TryGetValue(accountSid, out var cached) && now - cached.Read < CacheFor && now >= cached.Read)
        {
            return cached.Account;
        }

        var account = await accounts.GetAsync(accountSid, cancellationToken);
        if (account is null)
        {
            _accounts.TryRemove(accountSid, out _);
        }
        else
        {
            _accounts[accountSid] = (account, now);
        }

        return account;
    }
}
