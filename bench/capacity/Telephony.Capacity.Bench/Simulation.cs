using Telephony.Core.Admission;
using Telephony.Core.Capacity;
using Telephony.Core.Dispatch;
using Telephony.Core.Nodes;

namespace Telephony.Capacity.Bench;

/// <summary>What one run measured.</summary>
internal sealed record SimulationResult(
    IReadOnlyList<List<double>> WaitsByTenant,
    IReadOnlyList<List<double>> WindowWaitsByTenant,
    IReadOnlyList<List<double>> DispatchDelaysByTenant, double NodeSeconds, OracleNodeSeconds Oracles, int DirectionChanges, int MaxChangesPer5Min, int PlanDirectionChanges, int MaxPlanChangesPer5Min, int PeakNodes, int Unstarted, int PlacementChanges);

/// <summary>Reference node-seconds for the same calls (see <see cref="Oracles"/>).</summary>
internal sealed record OracleNodeSeconds(double Instant, double Foresight, double JustInTime);

/// <summary>
/// Runs the real <see cref="AdmissionPacer"/>, <see cref="CapacityPlanner"/> and <see cref="NodeReconciler"/>
/// on a virtual clock (100 ms ticks). Nodes pull released calls through the real FairPuller while they have
/// free slots and are not reserve; a started node reports after a random 30-60 s (as an ACI container group does); a
/// drained node acknowledges at once and is removed when the reconciler says so; reserve/active changes are honoured at
/// once (a real node within its control poll).
/// </summary>
internal sealed class Simulation(CapacitySettings settings, int seed)
{
    private const double Tick = 0.1;
    private const double AnalysisPeriod = 10;
    private const double MinStartLatency = 30;
    private const double MaxStartLatency = 60;

    /// <summary>Slots per node kept for tenants other than the node's busiest (what the media node uses: 10 % of its capacity).</summary>
    private int DispatchReserve => settings.DefaultNodeCapacity / 10;
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class SimNode(string id, double created, double readyAt)
    {
        /// <summary>Each node has its own rotation, as each real node's DispatchPuller does.</summary>
        public FairPuller Puller { get; } = new();

        public string Id { get; } = id;

        public double Created { get; } = created;

        public double ReadyAt { get; } = readyAt;

        public int Active { get; set; }

        public Dictionary<string, int> ActiveByTenant { get; } = new(StringComparer.Ordinal);

        public bool Draining { get; set; }

        /// <summary>Reserve (the allocator's request, honoured at once): takes no new calls, as the media node's DispatchWorker.</summary>
        public bool Reserve { get; set; }
    }

    private sealed record Call(int Tenant, double Arrived, double Release, double Duration);

    public SimulationResult Run(Scenario scenario)
    {
        var random = new Random(seed);
        var pacing = scenario.Tenants.Select(_ => PacingState.Empty).ToArray();
        var pending = new PriorityQueue<Call, double>();
        var ready = scenario.Tenants.Select(_ => new Queue<Call>()).ToArray();
        var tenantNames = Enumerable.Range(0, scenario.Tenants.Count).Select(t => t.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var ends = new PriorityQueue<(SimNode Node, string Tenant), double>();
        var nodes = new List<SimNode>();
        var drains = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var waits = scenario.Tenants.Select(_ => new List<double>()).ToArray();
        var windowWaits = scenario.Tenants.Select(_ => new List<double>()).ToArray();
        var delays = scenario.Tenants.Select(_ => new List<double>()).ToArray();
        var idealIntervals = new List<CallInterval>();
        var changes = new List<double>();
        CapacityPlan? plan = null;
        long admitted = 0;
        var lastDirection = 0;
        var lastPlanDirection = 0;
        var planChanges = new List<double>();
        var nodeSeconds = 0.0;
        var peak = 0;
        var nextNodeId = 0;
        var arrivalIndex = 0;
        var placementChanges = 0;

        SimNode NewNode(double now) => new("n" + nextNodeId++, now, now + MinStartLatency + (random.NextDouble() * (MaxStartLatency - MinStartLatency)));
        for (var i = 0; i < settings.MinNodes; i++)
        {
            nodes.Add(new SimNode("n" + nextNodeId++, 0, 0));
        }

        var steps = (int)Math.Round(scenario.Duration / Tick);
        for (var step = 0; step <= steps; step++)
        {
            var now = step * Tick;
            var clock = Epoch + TimeSpan.FromSeconds(now);

            // Arrivals are admitted: the tenant's pacing gives the release slot.
            while (arrivalIndex < scenario.Arrivals.Count && scenario.Arrivals[arrivalIndex].At <= now)
            {
                var arrival = scenario.Arrivals[arrivalIndex++];
                var slot = AdmissionPacer.Admit(pacing[arrival.Tenant], scenario.Tenants[arrival.Tenant], Epoch + TimeSpan.FromSeconds(arrival.At));
                pacing[arrival.Tenant] = slot.Next;
                admitted++;
                var release = (slot.ReleaseAt - Epoch).TotalSeconds;
                var duration = -Math.Log(1 - random.NextDouble()) * scenario.MeanCallSeconds;
                pending.Enqueue(new Call(arrival.Tenant, arrival.At, release, duration), release);
                idealIntervals.Add(new(release, release + duration));
            }

            while (ends.TryPeek(out var ended, out var endAt) && endAt <= now)
            {
                ends.Dequeue();
                ended.Node.Active--;
                ended.Node.ActiveByTenant[ended.Tenant]--;
            }

            while (pending.TryPeek(out _, out var releaseAt) && releaseAt <= now)
            {
                var released = pending.Dequeue();
                ready[released.Tenant].Enqueue(released);
            }

            // Ready nodes pull released calls while they have free slots, shared among the tenants' queues by the real FairPuller.
            var waitingTenants = tenantNames.Where((_, t) => ready[t].Count > 0).ToList();
            foreach (var node in nodes)
            {
                if (waitingTenants.Count == 0)
                {
                    break;
                }

                if (node.Draining || node.Reserve || node.ReadyAt > now || node.Active >= settings.DefaultNodeCapacity)
                {
                    continue;
                }

                var puller = node.Puller;
                _ = puller.PullAsync(waitingTenants, settings.DefaultNodeCapacity - node.Active, (tenant, max, _) =>
                {
                    var queue = ready[int.Parse(tenant, System.Globalization.CultureInfo.InvariantCulture)];
                    var taken = 0;
                    while (taken < max && queue.TryDequeue(out var call))
                    {
                        taken++;
                        node.Active++;
                        node.ActiveByTenant[tenant] = node.ActiveByTenant.GetValueOrDefault(tenant) + 1;
                        waits[call.Tenant].Add(now - call.Arrived);
                        if (call.Arrived >= scenario.WindowFrom)
                        {
                            windowWaits[call.Tenant].Add(now - call.Arrived);
                            delays[call.Tenant].Add(now - call.Release);
                        }

                        ends.Enqueue((node, tenant), now + call.Duration);
                    }

                    return Task.FromResult(taken);
                }, t => node.ActiveByTenant.GetValueOrDefault(t), DispatchReserve).GetAwaiter().GetResult();
                waitingTenants.RemoveAll(t => ready[int.Parse(t, System.Globalization.CultureInfo.InvariantCulture)].Count == 0);
            }

            nodeSeconds += nodes.Count * Tick;
            peak = Math.Max(peak, nodes.Count);
            if (step % (int)(AnalysisPeriod / Tick) != 0)
            {
                continue;
            }

            // analyze-capacity: the same inputs the real analyzer reads from Tables and the dispatch queues.
            var horizon = now + settings.ForecastHorizon.TotalSeconds;
            var due = pending.UnorderedItems.Count(c => c.Priority <= horizon);
            var live = nodes.Where(n => !n.Draining && n.ReadyAt <= now).ToList();
            var demand = new DemandSnapshot(clock, admitted, due, pending.Count, ready.Sum(q => q.Count), live.Sum(n => n.Active), live.Count, settings.DefaultNodeCapacity, nodes.Where(n => n.Draining).Sum(n => n.Active));
            var previousDesired = plan?.DesiredNodes;
            plan = CapacityPlanner.Plan(settings, plan, demand);
            if (previousDesired is { } before && plan.DesiredNodes != before)
            {
                var direction = Math.Sign(plan.DesiredNodes - before);
                if (lastPlanDirection != 0 && direction != lastPlanDirection)
                {
                    planChanges.Add(now);
                }

                lastPlanDirection = direction;
            }

            // allocate-nodes: reconcile and act.
            var reported = nodes.Where(n => n.ReadyAt <= now).Select(n => new NodeRecord
            {
                Id = n.Id,
                Address = "sim",
                Capacity = settings.DefaultNodeCapacity,
                ActiveCalls = n.Active,
                State = n.Draining ? NodeState.Draining : NodeState.Ready,
                ReserveRequested = n.Reserve,
                Reserve = n.Reserve,
                StartedAt = Epoch + TimeSpan.FromSeconds(n.Created),
                LastHeartbeat = clock,
            }).ToList();
            var provisioned = nodes.Select(n => new ProvisionedNode(n.Id, Epoch + TimeSpan.FromSeconds(n.Created))).ToList();
            var actions = NodeReconciler.Reconcile(settings, plan.DesiredNodes, plan.ActiveNodes, reported, provisioned, drains, clock);
            foreach (var removal in actions.Remove)
            {
                nodes.RemoveAll(n => n.Id == removal.NodeId);
                drains.Remove(removal.NodeId);
            }

            foreach (var id in actions.Drain)
            {
                nodes.First(n => n.Id == id).Draining = true;
                drains[id] = clock;
            }

            // The cluster's scale direction: a node started (up) or drained (down); reserve/active changes are neither.
            foreach (var direction in (actions.Start > 0 ? [1] : Array.Empty<int>()).Concat(actions.Drain.Count > 0 ? [-1] : []))
            {
                if (lastDirection != 0 && direction != lastDirection)
                {
                    changes.Add(now);
                }

                lastDirection = direction;
            }

            foreach (var id in actions.Reserve.Concat(actions.Activate))
            {
                var node = nodes.First(n => n.Id == id);
                node.Reserve = actions.Reserve.Contains(id);
                placementChanges++;
            }

            for (var i = 0; i < actions.Start; i++)
            {
                nodes.Add(NewNode(now));
            }
        }

        return new SimulationResult(
            waits,
            windowWaits,
            delays,
            nodeSeconds,
            new OracleNodeSeconds(
                Oracles.Instant(idealIntervals, scenario.Duration, settings.DefaultNodeCapacity, settings.MinNodes),
                Oracles.Foresight(idealIntervals, scenario.Duration, settings.DefaultNodeCapacity, settings.MinNodes, MinStartLatency),
                Oracles.JustInTime(idealIntervals, scenario.Duration, settings.DefaultNodeCapacity, settings.MinNodes, MinStartLatency)),
            changes.Count,
            MaxInWindow(changes, 300),
            planChanges.Count,
            MaxInWindow(planChanges, 300),
            peak,
            ready.Sum(q => q.Count) + pending.Count,
            placementChanges);
    }

    private static int MaxInWindow(List<double> times, double window)
    {
        var max = 0;
        for (int i = 0, j = 0; i < times.Count; i++)
        {
            while (times[i] - times[j] > window)
            {
                j++;
            }

            max = Math.Max(max, i - j + 1);
        }

        return max;
    }
}
