using Telephony.Core.Caching;

namespace Telephony.Core.Admission;

/// <summary>
/// Tenants' admin-set limits as a node reads them when it takes calls: from the admission table, kept for
/// <see cref="CacheFor"/>, so an operator's change reaches every node within that and a busy tenant costs one read per
/// period, not one per call. Safe for concurrent callers.
/// </summary>
public sealed class CachedTenantLimits(AdmissionStore admission, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ShortLivedCache<TenantLimits> _limits = new(CacheFor, time);

    public async Task<TenantLimits> GetAsync(string accountSid, CancellationToken cancellationToken) =>
        (await _limits.GetAsync(accountSid, async token => await admission.GetLimitsAsync(accountSid, token), cancellationToken))!;
}
