using System.Collections.Concurrent;

namespace Telephony.Core.Caching;

/// <summary>
/// Values read from storage, each kept for a fixed period after its read: a busy key costs one read per period. A
/// null read (nothing there) is not kept, so what appears is seen at once; what changes or goes is seen within the
/// period. At most once a period the expired entries are dropped, so memory follows the keys read recently. Safe for
/// concurrent callers (two may read the same key at once; the later read is kept).
/// </summary>
public sealed class ShortLivedCache<TValue>(TimeSpan keepFor, TimeProvider time)
    where TValue : class
{
    private readonly ConcurrentDictionary<string, (TValue Value, long ReadTicks)> _entries = new(StringComparer.Ordinal);
    private long _lastSweepTicks;

    public async Task<TValue?> GetAsync(string key, Func<CancellationToken, Task<TValue?>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(read);
        var now = time.GetUtcNow().UtcTicks;
        if (_entries.TryGetValue(key, out var cached) && Fresh(cached.ReadTicks, now))
        {
            return cached.Value;
        }

        SweepExpired(now);
        var value = await read(cancellationToken);
        if (value is null)
        {
            _entries.TryRemove(key, out _);
        }
        else
        {
            _entries[key] = (value, now);
        }

        return value;
    }

    // A clock that went back makes an entry stale rather than fresh for longer.
    private bool Fresh(long readTicks, long now) => now >= readTicks && now - readTicks < keepFor.Ticks;

    /// <summary>At most once a period (one caller does it): forget entries not read within it.</summary>
    private void SweepExpired(long now)
    {
        var last = Interlocked.Read(ref _lastSweepTicks);
        if (now - last < keepFor.Ticks || Interlocked.CompareExchange(ref _lastSweepTicks, now, last) != last)
        {
            return;
        }

        foreach (var entry in _entries)
        {
            if (!Fresh(entry.Value.ReadTicks, now))
            {
                _entries.TryRemove(entry);
            }
        }
    }
}
