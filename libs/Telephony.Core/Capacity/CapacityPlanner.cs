namespace Telephony.Core.Capacity;

/// <summary>
/// Pure capacity analysis. Forecast = the concurrency expected one horizon ahead (when a node ordered now would be
/// ready): released calls waiting for a slot, the running calls still on by then (exponential holding time
/// e^(-horizon/duration)), and the calls released meanwhile toward Little's-law concurrency (rate x measured holding
/// time; the rate is the smoothed measured one or what the paced backlog is scheduled to release, whichever is higher).
/// Spare = a share plus standard deviations of that forecast. Scale-out (forecast + spare above the plan) is immediate;
/// scale-in needs max(now, forecast) + <see cref="CapacitySettings.ScaleInSpare"/> x spare to fit in fewer nodes for
/// <see cref="CapacitySettings.ScaleInDelay"/> (a dead band and a delay against flapping), or only
/// <see cref="CapacitySettings.FastScaleInDelay"/> when demand fell to half of that or less (no fluctuation does that).
/// Of the desired nodes only the target's count take new calls (<see cref="CapacityPlan.ActiveNodes"/>): the rest are
/// reserve, so the nodes a later scale-in drains have been running down meanwhile.
/// </summary>
public static class CapacityPlanner
{
    public static CapacityPlan Plan(CapacitySettings settings, CapacityPlan? previous, DemandSnapshot demand)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(demand);
        var rate = ReleaseRate(settings, previous, demand);
        var holding = HoldingTime.Measure(settings, previous, demand);
        var scheduledRate = demand.BacklogDue / Math.Max(1, settings.ForecastHorizon.TotalSeconds);
        var steadyState = Math.Max(rate, scheduledRate) * holding.MeanSeconds;
        var survives = Math.Exp(-settings.ForecastHorizon.TotalSeconds / holding.MeanSeconds);

        // Concurrency expected one horizon ahead (when a node ordered now is ready): running calls that are still on,
        // released calls waiting for a slot (all of them: they have not started), and the new ones toward Little's law.
        var forecast = demand.Waiting + (demand.ActiveCalls * survives) + (steadyState * (1 - survives));

        // Nodes are added for what they will serve; calls here now keep their slots until then, so scale-in counts them too.
        var present = demand.ActiveCalls + demand.Waiting;
        var required = Math.Max(present, forecast);
        var capacity = Math.Max(1, demand.NodeCapacity);

        // Fluctuation of that concurrency: each running call still on or not (binomial), new calls a Poisson count.
        var deviation = Math.Sqrt((demand.ActiveCalls * survives * (1 - survives)) + (steadyState * (1 - survives)));
        var target = Nodes(settings, (forecast + Spare(settings, forecast, deviation)) / capacity);
        var lowerTarget = Nodes(settings, (required + (settings.ScaleInSpare * Spare(settings, required, deviation))) / capacity);

        // Demand that fell to half of what fewer nodes hold is no fluctuation: scale in after the short delay.
        var clearlyLower = Nodes(settings, ((2 * required) + Spare(settings, required, deviation)) / capacity);

        var current = previous?.DesiredNodes ?? target;
        var desired = current;
        DateTimeOffset? lowerSince = null, clearDropSince = null;
        int? heldPeak = null;
        string reason;
        var lastScaleIn = previous?.LastScaleInAt;
        var reversing = demand.At - lastScaleIn < settings.ScaleInDelay;
        var needed = Nodes(settings, forecast / capacity);
        if (target > current && !reversing)
        {
            desired = target;
            reason = "scale out: demand above capacity";
        }
        else if (reversing && needed > current)
        {
            // Just after a scale-in only the demand itself, not its spare, brings a node back (no flapping).
            desired = needed;
            reason = "scale out: demand above capacity soon after a scale-in";
        }
        else if (lowerTarget >= current)
        {
            reason = "steady";
        }
        else
        {
            lowerSince = previous?.LowerTargetSince ?? demand.At;

            // The most the lower demand needed while it held: scale in to that, not to the last moment's dip.
            heldPeak = Math.Max(lowerTarget, previous?.LowerTargetSince is null ? 0 : previous.HeldLowerTarget ?? 0);
            clearDropSince = clearlyLower < current ? previous?.ClearDropSince ?? demand.At : null;
            if (demand.At - lowerSince >= settings.ScaleInDelay)
            {
                desired = heldPeak.Value;
                reason = "scale in: lower demand held for the scale-in delay";
            }
            else if (demand.At - clearDropSince >= settings.FastScaleInDelay)
            {
                desired = lowerTarget;
                reason = "scale in: demand fell by half or more";
            }
            else
            {
                reason = "holding: lower demand not yet stable";
            }

            if (desired != current)
            {
                lowerSince = clearDropSince = null;
                heldPeak = null;
                lastScaleIn = demand.At;
            }
        }

        return new CapacityPlan
        {
            ComputedAt = demand.At,
            DesiredNodes = desired,

            // Making a node reserve is free and undone at once, so it follows the demand's target without delay or dead band.
            ActiveNodes = Math.Clamp(target, Math.Min(settings.MinNodes, desired), desired),
            TargetNodes = target,
            LiveNodes = demand.LiveNodes,
            ReleaseRate = rate,
            RequiredSlots = required,
            ForecastSlots = forecast,
            ActiveCalls = demand.ActiveCalls,
            DrainingCalls = demand.DrainingCalls,
            BacklogTotal = demand.BacklogTotal,
            AdmittedTotal = demand.AdmittedTotal,
            ReleasedTotal = demand.AdmittedTotal - demand.BacklogTotal,
            Waiting = demand.Waiting,
            LowerTargetSince = lowerSince,
            ClearDropSince = clearDropSince,
            LastScaleInAt = lastScaleIn,
            HeldLowerTarget = heldPeak,
            Reason = reason,
            CompletedTotal = holding.CompletedTotal,
            WeightedCallSeconds = holding.WeightedCallSeconds,
            WeightedCompletions = holding.WeightedCompletions,
            MeanDurationSeconds = holding.MeanSeconds,
        };
    }

    /// <summary>
    /// Slots kept above the expected concurrency: a share of it plus a number of its standard deviations
    /// (square-root staffing), so large clusters keep relatively less idle.
    /// </summary>
    private static double Spare(CapacitySettings settings, double slots, double deviation) =>
        (settings.Headroom * slots) + (settings.SpareDeviations * deviation);

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
