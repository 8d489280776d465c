using System.Collections.Concurrent;

namespace Telephony.Core.Admission;

/// <summary>
/// Tenants' admin-set limits as a node reads them when it takes calls: from the admission table, kept for
/// <see cref="CacheFor"/>, so an operator's change reaches every node within that and a busy tenant costs one read per
/// period, not one per call. Safe for concurrent callers.
/// </summary>
public sealed class CachedTenantLimits(AdmissionStore admission, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (TenantLimits Limits, DateTimeOffset Read)> _limits = new(StringComparer.Ordinal);

    public async Task<TenantLimits> GetAsync(string accountSid, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_limits.TryGetValue(accountSid, out var cached) && now - cached.Read < CacheFor)
        {
            return cached.Limits;
        }

        var limits = await admission.GetLimitsAsync(accountSid, cancellationToken);
        _limits[accountSid] = (limits, now);
        return limits;
    }
}
