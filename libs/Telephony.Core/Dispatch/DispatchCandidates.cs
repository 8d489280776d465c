using Telephony.Core.Admission;

namespace Telephony.Core.Dispatch;

/// <summary>
/// Which tenants' dispatch queues a node receives from on a pull, so an idle node's polling cost does not grow with
/// the number of tenants. Admission already moves a tenant's pacing row (its next release slot) with every call it
/// admits, so one filtered query of the pacing rows (<see cref="AdmissionStore.ListPacedSinceAsync"/>) names the
/// tenants that admitted calls within <see cref="RecentFor"/> or still have paced calls ahead. Added to them: tenants
/// this node recently found with more work than it could take (a full receive, or at their concurrency limit) —
/// a backlog released long ago while the cluster was full. Every queue is looked at on the first pull, after the
/// node was full (it watched nothing meanwhile) and every <see cref="SweepEvery"/> as a safety net (a call put back
/// by a node that died holding it). Fairness is unchanged: the candidates are shared by <see cref="FairPuller"/>, and
/// the reserve still counts every tenant with a queue. One instance per puller; not thread-safe.
/// </summary>
public sealed class DispatchCandidates(DispatchQueues queues, AdmissionStore admission, TimeProvider time)
{
    /// <summary>How long after its last admission, or after this node last saw it backlogged, a tenant stays a candidate.</summary>
    public static readonly TimeSpan RecentFor = TimeSpan.FromMinutes(2);

    /// <summary>How often every tenant's queue is looked at anyway.</summary>
    public static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, DateTimeOffset> _backloggedAt = new(StringComparer.Ordinal);
    private DateTimeOffset _sweptAt = DateTimeOffset.MinValue;
    private bool _wasFull = true;

    /// <summary>The tenants to receive from now, and how many tenants have a queue at all (for the reserve).</summary>
    public async Task<(IReadOnlyList<string> Poll, int Known)> NextAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var known = await queues.AccountsAsync(cancellationToken);
        if (_wasFull || now - _sweptAt >= SweepEvery)
        {
            _wasFull = false;
            _sweptAt = now;
            return (known, known.Count);
        }

        foreach (var stale in _backloggedAt.Where(b => now - b.Value >= RecentFor).Select(b => b.Key).ToList())
        {
            _backloggedAt.Remove(stale);
        }

        var recent = await admission.ListPacedSinceAsync(now - RecentFor, cancellationToken);
        return ([.. recent.Union(_backloggedAt.Keys, StringComparer.Ordinal)], known.Count);
    }

    /// <summary>The node had no free slot: it looked at no queue, so its next pull looks at all of them.</summary>
    public void Full() => _wasFull = true;

    /// <summary>What one receive from <paramref name="accountSid"/>'s queue showed: more work than taken keeps it a candidate.</summary>
    public void Received(string accountSid, bool moreWaiting)
    {
        if (moreWaiting)
        {
            _backloggedAt[accountSid] = time.GetUtcNow();
        }
    }
}
