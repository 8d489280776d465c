using Telephony.Core.Caching;

namespace Telephony.Core.Numbers;

/// <summary>
/// Inbound routing through <see cref="PhoneNumberDirectory"/>, each held number kept for <see cref="CacheFor"/>: a
/// number called many times a second costs its two reads once per period instead of on every INVITE. The bound is
/// the trade: a number's new voice URL, its release or its move to another account reaches a node within
/// <see cref="CacheFor"/>. Numbers nobody holds are not kept (a number bought a moment ago answers at once), and an
/// entry is dropped when it expires, so memory follows the numbers called recently. Safe for concurrent callers.
/// </summary>
public sealed class CachedPhoneNumberDirectory(PhoneNumberDirectory directory, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly ShortLivedCache<PhoneNumberRecord> _numbers = new(CacheFor, time);

    public Task<PhoneNumberRecord?> FindAsync(string e164, CancellationToken cancellationToken = default) =>
        _numbers.GetAsync(e164, token => directory.FindAsync(e164, token), cancellationToken);
}
