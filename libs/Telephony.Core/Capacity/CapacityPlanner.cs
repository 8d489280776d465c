namespace Telephony.Core.Capacity;

/// <summary>
/// Pure capacity analysis. Slots needed = the larger of (calls running + calls released within the
/// horizon) and Little's law on the arrival rate; plus headroom, divided by node capacity. Scale-out
/// takes effect at once (a spike must not wait); scale-in only after the lower target has held for
/// <see cref="CapacitySettings.ScaleInDelay"/>, so the plan does not flap.
/// </summary>
public static class CapacityPlanner
{
    public static CapacityPlan Plan(CapacitySettings settings, CapacityPlan? previous, DemandSnapshot demand)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(demand);
        var rate = ArrivalRate(settings, previous, demand, out var sampleRate);

        // Rising demand uses the raw sample so a spike is seen within one analysis period; falling demand the smoothed one.
        var forecastRate = Math.Max(rate, sampleRate);
        var required = Math.Max(demand.ActiveCalls + demand.BacklogDue, forecastRate * settings.MeanCallDuration.TotalSeconds);
        var capacity = Math.Max(1, demand.NodeCapacity);
        var target = Math.Clamp((int)Math.Ceiling(required * (1 + settings.Headroom) / capacity), settings.MinNodes, settings.MaxNodes);

        var current = previous?.DesiredNodes ?? target;
        int desired;
        DateTimeOffset? lowerSince = null;
        string reason;
        if (target >= current)
        {
            desired = target;
            reason = target > current ? "scale out: demand above capacity" : "steady";
        }
        else
        {
            lowerSince = previous?.LowerTargetSince ?? demand.At;
            if (demand.At - lowerSince >= settings.ScaleInDelay)
            {
                desired = target;
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
            ArrivalRate = rate,
            RequiredSlots = required,
            ActiveCalls = demand.ActiveCalls,
            BacklogTotal = demand.BacklogTotal,
            AdmittedTotal = demand.AdmittedTotal,
            LowerTargetSince = lowerSince,
            Reason = reason,
        };
    }

    private static double ArrivalRate(CapacitySettings settings, CapacityPlan? previous, DemandSnapshot demand, out double sampleRate)
    {
        sampleRate = 0;
        if (previous is null)
        {
            return 0;
        }

        var elapsed = (demand.At - previous.ComputedAt).TotalSeconds;
        if (elapsed <= 0 || demand.AdmittedTotal < previous.AdmittedTotal)
        {
            // Clock went backwards or the counters were reset: keep the last estimate.
            return previous.ArrivalRate;
        }

        sampleRate = (demand.AdmittedTotal - previous.AdmittedTotal) / elapsed;
        return (settings.Smoothing * sampleRate) + ((1 - settings.Smoothing) * previous.ArrivalRate);
    }
}
