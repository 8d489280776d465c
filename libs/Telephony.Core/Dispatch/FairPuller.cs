namespace Telephony.Core.Dispatch;

/// <summary>
/// Shares a node's free call slots among the tenants that have released calls waiting, round robin:
/// each round offers every tenant still in play an equal share of the slots left; a tenant that takes
/// less than its share (nothing waiting, or at its concurrency limit) leaves the round and its share
/// goes to the others. The next pull starts after the last tenant served, so single free slots rotate.
/// A light tenant's call therefore waits for one free slot, not behind a heavy tenant's released batch.
/// One instance per puller (it remembers where the rotation stands); not thread-safe.
/// </summary>
public sealed class FairPuller
{
    private string? _lastServed;

    /// <summary>
    /// Offers <paramref name="freeSlots"/> to <paramref name="tenants"/>; <paramref name="take"/>(tenant, max)
    /// starts up to max of that tenant's waiting calls and returns how many it started. Returns the total started.
    /// </summary>
    public async Task<int> PullAsync(
        IReadOnlyList<string> tenants, int freeSlots, Func<string, int, CancellationToken, Task<int>> take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(take);
        var inPlay = RotationFrom(tenants);
        var free = freeSlots;
        var started = 0;
        while (free > 0 && inPlay.Count > 0)
        {
            var share = Math.Max(1, free / inPlay.Count);
            var stay = new List<string>(inPlay.Count);
            foreach (var tenant in inPlay)
            {
                if (free == 0)
                {
                    break;
                }

                var ask = Math.Min(share, free);
                var got = await take(tenant, ask, cancellationToken);
                free -= got;
                started += got;
                if (got > 0)
                {
                    _lastServed = tenant;
                }

                if (got >= ask)
                {
                    stay.Add(tenant);
                }
            }

            inPlay = stay;
        }

        return started;
    }

    /// <summary>The tenants in ordinal order, starting after the last one served.</summary>
    private List<string> RotationFrom(IReadOnlyList<string> tenants)
    {
        var ordered = tenants.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (_lastServed is null)
        {
            return ordered;
        }

        var after = ordered.FindIndex(t => string.CompareOrdinal(t, _lastServed) > 0);
        return after <= 0 ? ordered : [.. ordered.Skip(after), .. ordered.Take(after)];
    }
}
