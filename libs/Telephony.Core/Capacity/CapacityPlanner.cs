namespace Telephony.Core.Capacity;

/// <summary>
/// Pure capacity analysis. Slots needed = calls running + released calls no node has taken + the
/// growth expected within the forecast horizon toward Little's-law concurrency (forecast release rate
/// x mean duration; the rate is the smoothed measured one or the rate the paced backlog is already
/// scheduled to release, whichever is higher). With exponential call durations a share
/// 1 - e^(-horizon/duration) of that gap fills within the horizon. Scale-out
/// (demand plus headroom above the plan) takes effect at once; scale-in needs demand plus twice the
/// headroom to fit in fewer nodes for <see cref="CapacitySettings.ScaleInDelay"/> (a dead band, so
/// the plan does not flap).
/// </summary>
public static class CapacityPlanner
{
    public static CapacityPlan Plan(CapacitySettings settings, CapacityPlan? previous, DemandSnapshot demand)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(demand);
        var rate = ReleaseRate(settings, previous, demand);
        var scheduledRate = demand.BacklogDue / Math.Max(1, settings.ForecastHorizon.TotalSeconds);
        var steadyState = Math.Max(rate, scheduledRate) * settings.MeanCallDuration.TotalSeconds;
        var filledWithinHorizon = 1 - Math.Exp(-settings.ForecastHorizon.TotalSeconds / settings.MeanCallDuration.TotalSeconds);
        // Released calls no node has taken yet are part of the concurrency the growth term heads for, not extra to it.
        var present = demand.ActiveCalls + demand.Waiting;
        var required = present + (filledWithinHorizon * Math.Max(0, steadyState - present));
        var capacity = Math.Max(1, demand.NodeCapacity);
        var spare = Spare(settings, required);
        var target = Nodes(settings, (required + spare) / capacity);
        var lowerTarget = Nodes(settings, (required + (2 * spare)) / capacity);

        var current = previous?.DesiredNodes ?? target;
        int desired;
        DateTimeOffset? lowerSince = null;
        string reason;
        if (target > current)
        {
            desired = target;
            reason = "scale out: demand above capacity";
        }
        else if (lowerTarget >= current)
        {
            desired = current;
            reason = "steady";
        }
        else
        {
            lowerSince = previous?.LowerTargetSince ?? demand.At;
            if (demand.At - lowerSince >= settings.ScaleInDelay)
            {
                desired = lowerTarget;
                lowerSince = null;
                reason = "scale in: lower demand held for the scale-in delay";
            }
            else
            {
                desired = current;
                reason = "holding: lower demand not yet stable";
            }
        }

        return new CapacityPlan
        {
            ComputedAt = demand.At,
            DesiredNodes = desired,
            TargetNodes = target,
            LiveNodes = demand.LiveNodes,
            ReleaseRate = rate,
            RequiredSlots = required,
            ActiveCalls = demand.ActiveCalls,
            BacklogTotal = demand.BacklogTotal,
            AdmittedTotal = demand.AdmittedTotal,
            ReleasedTotal = demand.AdmittedTotal - demand.BacklogTotal,
            Waiting = demand.Waiting,
            LowerTargetSince = lowerSince,
            Reason = reason,
        };
    }

    /// <summary>
    /// Slots kept above the expected concurrency: a share of it plus a number of standard deviations of a
    /// Poisson count (square-root staffing), so large clusters keep relatively less idle.
    /// </summary>
    private static double Spare(CapacitySettings settings, double required) =>
        (settings.Headroom * required) + (settings.SpareDeviations * Math.Sqrt(required));

    private static int Nodes(CapacitySettings settings, double exact) => Math.Clamp((int)Math.Ceiling(exact), settings.MinNodes, settings.MaxNodes);

    /// <summary>EWMA of calls released per second (admitted minus still paced), the rate that reaches the nodes.</summary>
    private static double ReleaseRate(CapacitySettings settings, CapacityPlan? previous, DemandSnapshot demand)
    {
        if (previous is null)
        {
            return 0;
        }

        var released = demand.AdmittedTotal - demand.BacklogTotal;
        var elapsed = (demand.At - previous.ComputedAt).TotalSeconds;
        if (elapsed <= 0 || released < previous.ReleasedTotal)
        {
            // Clock went backwards or the counters were reset: keep the last estimate.
            return previous.ReleaseRate;
        }

        var sample = (released - previous.ReleasedTotal) / elapsed;
        return (settings.Smoothing * sample) + ((1 - settings.Smoothing) * previous.ReleaseRate);
    }
}
