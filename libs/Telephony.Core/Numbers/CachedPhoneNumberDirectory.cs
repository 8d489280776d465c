using System.Collections.Concurrent;

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

    private readonly ConcurrentDictionary<string, (PhoneNumberRecord Number, DateTimeOffset Read)> _numbers = new(StringComparer.Ordinal);
    private long _lastSweepTicks;

    public async Task<PhoneNumberRecord?> FindAsync(string e164, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_numbers.TryGetValue(e164, out var cached) && Fresh(cached.Read, now))
        {
            return cached.Number;
        }

        SweepExpired(now);
        var number = await directory.FindAsync(e164, cancellationToken);
        if (number is null)
        {
            _numbers.TryRemove(e164, out _);
        }
        else
        {
            _numbers[e164] = (number, now);
        }

        return number;
    }

    private static bool Fresh(DateTimeOffset read, DateTimeOffset now) => now - read < CacheFor && now >= read;

    /// <summary>At most once a period (one caller does it): forget numbers not called within it.</summary>
    private void SweepExpired(DateTimeOffset now)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now.UtcTicks - last < CacheFor.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now.UtcTicks, last) != last)
        {
            return;
        }

        foreach (var (e164, entry) in _numbers)
        {
            if (!Fresh(entry.Read, now))
            {
                _numbers.TryRemove(new KeyValuePair<string, (PhoneNumberRecord, DateTimeOffset)>(e164, entry));
            }
        }
    }
}
