using Telephony.Core.Caching;

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

    private readonly ShortLivedCache<AccountRecord> _accounts = new(CacheFor, time);

    public Task<AccountRecord?> GetAsync(string accountSid, CancellationToken cancellationToken) =>
        _accounts.GetAsync(accountSid, token => accounts.GetAsync(accountSid, token), cancellationToken);
}
