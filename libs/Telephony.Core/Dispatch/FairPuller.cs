namespace Telephony.Core.Dispatch;

/// <summary>
/// Shares a node's free call slots among the tenants that have released calls waiting, max-min fair:
/// slots are handed out one at a time (on paper) to the tenant running the fewest calls on this node so
/// far, ties broken round robin (starting after the last tenant served, so single free slots rotate).
/// Each tenant is then asked for its share, fewest-running first; a tenant that takes less than asked
/// (nothing more waiting, or at its concurrency limit) leaves, and what it left is shared again among the
/// others. A light tenant's call therefore takes the next free slot instead of queueing behind a heavy
/// tenant's released batch, while the heavy tenant still gets every slot nobody else wants except a small
/// reserve kept free for the other tenants' next calls (when there are other tenants).
/// One instance per puller (it remembers where the rotation stands); not thread-safe.
/// </summary>
public sealed class FairPuller
{
    private string? _lastServed;

    /// <summary>
    /// Offers <paramref name="freeSlots"/> to <paramref name="tenants"/>; <paramref name="take"/>(tenant, max)
    /// starts up to max of that tenant's waiting calls and returns how many it started; <paramref name="running"/>
    /// gives a tenant's calls running on this node (none when omitted); <paramref name="knownTenants"/> counts every
    /// tenant there is, offered or not (the reserve is kept while there is another). Returns the total started.
    /// </summary>
    public async Task<int> PullAsync(
        IReadOnlyList<string> tenants,
        int freeSlots,
        Func<string, int, CancellationToken, Task<int>> take,
        Func<string, int>? running = null,
        int reserve = 0,
        int knownTenants = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(take);
        var inPlay = RotationFrom(tenants);
        var load = inPlay.ToDictionary(t => t, t => running?.Invoke(t) ?? 0, StringComparer.Ordinal);
        var free = freeSlots;
        var started = 0;
        while (free > 0 && inPlay.Count > 0)
        {
            var shares = Shares(inPlay, load, free, inPlay.Count > 1 || Math.Max(tenants.Count, knownTenants) > 1 ? reserve : 0);
            if (shares.Count == 0)
            {
                break;
            }

            var leave = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (tenant, ask) in shares)
            {
                var got = await take(tenant, ask, cancellationToken);
                free -= got;
                started += got;
                load[tenant] += got;
                if (got > 0)
                {
                    _lastServed = tenant;
                }

                if (got < ask)
                {
                    leave.Add(tenant);
                }
            }

            inPlay = [.. inPlay.Where(t => !leave.Contains(t))];
        }

        return started;
    }

    /// <summary>
    /// Water-fills <paramref name="free"/> slots over the tenants (each next slot to the least loaded, ties in
    /// rotation order); the last <paramref name="reserve"/> slots never go to the tenant that would then run the
    /// most calls here by more than one, so another tenant's next call finds a slot without waiting for one to end. Returns the
    /// tenants that got any, least loaded first.
    /// </summary>
    private static List<(string Tenant, int Ask)> Shares(List<string> inPlay, Dictionary<string, int> load, int free, int reserve)
    {
        var queue = new PriorityQueue<int, (int Load, int Order)>();
        var asks = new int[inPlay.Count];
        for (var i = 0; i < inPlay.Count; i++)
        {
            queue.Enqueue(i, (load[inPlay[i]], i));
        }

        for (var n = 0; n < free; n++)
        {
            var i = queue.Dequeue();
            var after = load[inPlay[i]] + asks[i] + 1;
            var othersMost = load.Where(l => l.Key != inPlay[i]).Select(l => l.Value + AskOf(l.Key)).DefaultIfEmpty(0).Max();
            if (free - n - 1 < reserve && after > othersMost + 1)
            {
                // Even the least loaded tenant in play would run more here than any other tenant: the rest stays
                // free for the lighter tenants' next calls.
                break;
            }

            asks[i]++;
            queue.Enqueue(i, (load[inPlay[i]] + asks[i], i));
        }

        int AskOf(string tenant) => inPlay.IndexOf(tenant) is var k and >= 0 ? asks[k] : 0;

        return [.. Enumerable.Range(0, inPlay.Count)
            .Where(i => asks[i] > 0)
            .OrderBy(i => load[inPlay[i]])
            .ThenBy(i => i)
            .Select(i => (inPlay[i], asks[i]))];
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
