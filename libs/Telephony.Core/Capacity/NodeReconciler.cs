using Telephony.Core.Nodes;

namespace Telephony.Core.Capacity;

/// <summary>A node the provisioner runs (it may not have heartbeated yet).</summary>
public sealed record ProvisionedNode(string Id, DateTimeOffset CreatedAt);

/// <summary>Why a node is removed.</summary>
public enum RemovalReason
{
    /// <summary>Drained and reports no live calls.</summary>
    Drained,

    /// <summary>Draining longer than the drain timeout.</summary>
    DrainTimedOut,

    /// <summary>Heartbeat expired: the node is presumed dead and is replaced.</summary>
    HeartbeatExpired,

    /// <summary>Provisioned but never reported within the start timeout.</summary>
    NeverStarted,

    /// <summary>Reported itself stopped.</summary>
    Stopped,
}

public sealed record NodeRemoval(string NodeId, RemovalReason Reason);

/// <summary>
/// What the allocator does this round: nodes to start, drain and remove, and serving nodes whose placement changes —
/// <paramref name="Reserve"/> take no new dispatched calls from now on, <paramref name="Activate"/> take them again.
/// </summary>
public sealed record NodeActions(int Start, IReadOnlyList<string> Drain, IReadOnlyList<NodeRemoval> Remove, IReadOnlyList<string> Reserve, IReadOnlyList<string> Activate)
{
    public NodeActions(int start, IReadOnlyList<string> drain, IReadOnlyList<NodeRemoval> remove)
        : this(start, drain, remove, [], [])
    {
    }

    public bool IsEmpty => Start == 0 && Drain.Count == 0 && Remove.Count == 0 && Reserve.Count == 0 && Activate.Count == 0;
}

/// <summary>
/// Pure reconciliation of the plan with the nodes. A node with live calls is only ever removed when
/// it is dead (heartbeat expired) or its drain timed out. Scale-in makes the surplus nodes reserve (reserve nodes
/// first, then the fewest calls) and drains one only when it is reserve, empty and past its minimum lifetime. Of the
/// nodes kept <paramref name="activeNodes"/> take new calls (starting nodes count as active): surplus active nodes
/// become reserve least loaded first (their calls run down), and when more are needed the reserve nodes with the most
/// calls are made active first (the emptiest keep running down toward a cheap drain).
/// </summary>
public static class NodeReconciler
{
    /// <param name="activeNodes">Nodes that should take new calls; 0 or more than <paramref name="desiredNodes"/> means all.</param>
    public static NodeActions Reconcile(
        CapacitySettings settings,
        int desiredNodes,
        int activeNodes,
        IReadOnlyList<NodeRecord> reported,
        IReadOnlyList<ProvisionedNode> provisioned,
        IReadOnlyDictionary<string, DateTimeOffset> drainRequested,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(reported);
        ArgumentNullException.ThrowIfNull(provisioned);
        ArgumentNullException.ThrowIfNull(drainRequested);
        var byId = reported.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var removals = new List<NodeRemoval>();
        var serving = new List<NodeRecord>();
        var starting = 0;

        foreach (var node in reported)
        {
            if (node.State == NodeState.Stopped)
            {
                removals.Add(new(node.Id, RemovalReason.Stopped));
            }
            else if (node.IsExpired(now, settings.HeartbeatExpiry))
            {
                removals.Add(new(node.Id, RemovalReason.HeartbeatExpired));
            }
            else if (drainRequested.TryGetValue(node.Id, out var since) || node.State == NodeState.Draining)
            {
                // Only a node that acknowledged the drain (stopped taking work) and reports no calls is idle for sure.
                if (node.State == NodeState.Draining && node.ActiveCalls == 0)
                {
                    removals.Add(new(node.Id, RemovalReason.Drained));
                }
                else if (drainRequested.ContainsKey(node.Id) && now - since >= settings.DrainTimeout)
                {
                    removals.Add(new(node.Id, RemovalReason.DrainTimedOut));
                }
            }
            else
            {
                serving.Add(node);
            }
        }

        // Provisioned instances that have not reported yet count as coming, until they time out.
        foreach (var instance in provisioned.Where(p => !byId.ContainsKey(p.Id)))
        {
            if (now - instance.CreatedAt > settings.StartTimeout)
            {
                removals.Add(new(instance.Id, RemovalReason.NeverStarted));
            }
            else
            {
                starting++;
            }
        }

        var live = serving.Count + starting;
        var start = Math.Max(0, desiredNodes - live);

        // Scale-in first makes the surplus reserve (reversible, free): reserve nodes first, then the least loaded. A surplus
        // node is drained only once it is reserve and empty, so a drained node is removed at once and a plan that rises
        // again meanwhile gets its nodes back without a start.
        var surplus = live > desiredNodes
            ? serving
                .OrderByDescending(n => n.ReserveRequested)
                .ThenBy(n => n.ActiveCalls)
                .ThenBy(n => n.StartedAt)
                .Take(live - desiredNodes)
                .ToList()
            : [];
        var drain = surplus
            .Where(n => n.ReserveRequested && n.ActiveCalls == 0 && now - n.StartedAt >= settings.MinNodeLifetime)
            .Select(n => n.Id)
            .ToList();
        var (reserve, activate) = Placement(activeNodes, desiredNodes, [.. serving.Except(surplus)], starting);
        reserve.AddRange(surplus.Where(n => !n.ReserveRequested).Select(n => n.Id));
        return new NodeActions(start, drain, removals, reserve, activate);
    }

    /// <summary>Which serving nodes change between reserve and active so that <paramref name="activeNodes"/> take new calls.</summary>
    private static (List<string> Reserve, List<string> Activate) Placement(int activeNodes, int desiredNodes, List<NodeRecord> serving, int starting)
    {
        var wanted = activeNodes <= 0 ? desiredNodes : Math.Min(activeNodes, desiredNodes);

        // Starting nodes will come up active; the serving nodes make up the rest.
        var wantedServing = Math.Max(0, wanted - starting);
        var active = serving.Where(n => !n.ReserveRequested).ToList();
        if (active.Count > wantedServing)
        {
            return ([.. active.OrderBy(n => n.ActiveCalls).ThenByDescending(n => n.StartedAt).Take(active.Count - wantedServing).Select(n => n.Id)], []);
        }

        var missing = wantedServing - active.Count;
        return ([], [.. serving.Where(n => n.ReserveRequested).OrderByDescending(n => n.ActiveCalls).ThenBy(n => n.StartedAt).Take(missing).Select(n => n.Id)]);
    }
}
