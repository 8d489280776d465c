using Microsoft.Extensions.Logging;
using Telephony.Core.Admission;
using Telephony.Core.Dispatch;
using Telephony.Core.Nodes;
using Telephony.Core.Storage;

namespace Telephony.Core.Capacity;

/// <summary>
/// analyze-capacity's work: gathers demand (tenants' pacing rows, their dispatch queues, node heartbeats), plans with
/// <see cref="CapacityPlanner"/> against the previous plan, and stores the result.
/// </summary>
public sealed class CapacityAnalyzer(
    StorageClients storage,
    AdmissionStore admission, NodeStore nodes, CapacityPlanStore plans, CapacitySettings settings, TimeProvider time, ILogger<CapacityAnalyzer> logger)
{
    public async Task<CapacityPlan> AnalyzeAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var demand = await DemandAsync(now, cancellationToken);
        var plan = CapacityPlanner.Plan(settings, await plans.LatestAsync(cancellationToken), demand);
        await plans.AddAsync(plan, cancellationToken);
        logger.LogInformation(
            "Capacity plan: {DesiredNodes} nodes (target {TargetNodes}, live {LiveNodes}, active {ActiveCalls}, backlog {Backlog}, rate {Rate:0.00}/s): {Reason}",
            plan.DesiredNodes, plan.TargetNodes, plan.LiveNodes, plan.ActiveCalls, plan.BacklogTotal, plan.ReleaseRate, plan.Reason);
        return plan;
    }

    private async Task<DemandSnapshot> DemandAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        long admitted = 0;
        int due = 0, backlog = 0;
        foreach (var (account, pacing) in await admission.ListPacingAsync(cancellationToken))
        {
            admitted += pacing.AdmittedTotal;
            if (pacing.NextSlot <= now)
            {
                continue;
            }

            var limits = await admission.GetLimitsAsync(account, cancellationToken);
            var queued = pacing.QueuedAt(now, limits);
            backlog += queued;
            due += Math.Min(queued, (int)(settings.ForecastHorizon.TotalSeconds * limits.CallsPerSecond));
        }

        var reporting = (await nodes.ListAsync(cancellationToken)).Where(n => !n.IsExpired(now, settings.HeartbeatExpiry)).ToList();
        var live = reporting.Where(n => n.State is NodeState.Starting or NodeState.Ready).ToList();
        var draining = reporting.Where(n => n.State == NodeState.Draining).Sum(n => n.ActiveCalls);
        var capacity = live.Count > 0 ? (int)Math.Round(live.Average(n => n.Capacity)) : settings.DefaultNodeCapacity;
        var waiting = Math.Max(0, await DispatchMessagesAsync(cancellationToken) - backlog);
        return new DemandSnapshot(now, admitted, due, backlog, waiting, live.Sum(n => n.ActiveCalls), live.Count, capacity, draining);
    }

    /// <summary>The tenants' dispatch queues' approximate count (it includes the still-invisible paced calls, hence the subtraction above).</summary>
    private Task<int> DispatchMessagesAsync(CancellationToken cancellationToken) =>
        new DispatchQueues(storage, time, TimeSpan.Zero).ApproximateCountAsync(cancellationToken);
}
