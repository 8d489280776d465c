namespace Telephony.Core.Capacity;

/// <summary>
/// The mean time a dispatched call holds a slot, measured by Little's law from what analysis already sees:
/// call-seconds (active calls x elapsed time) over completions (calls that left the nodes: started minus still
/// running, on serving or draining nodes), both exponentially weighted so old traffic fades. Until enough calls have completed it is the
/// configured <see cref="CapacitySettings.MeanCallDuration"/>. A busy or unanswered call counts with the time it
/// held its slot, which is what capacity needs.
/// </summary>
public sealed record HoldingTime(long CompletedTotal, double WeightedCallSeconds, double WeightedCompletions, double MeanSeconds)
{
    /// <summary>Weighted completions needed before the measurement replaces the configured mean.</summary>
    public const double MinCompletions = 30;

    public static HoldingTime Measure(CapacitySettings settings, CapacityPlan? previous, DemandSnapshot demand)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(demand);
        var completed = Math.Max(0, demand.AdmittedTotal - demand.BacklogTotal - demand.Waiting - demand.ActiveCalls - demand.DrainingCalls);
        var configured = settings.MeanCallDuration.TotalSeconds;
        if (previous is null || !settings.MeasureHoldingTime)
        {
            return new HoldingTime(completed, 0, 0, configured);
        }

        var elapsed = (demand.At - previous.ComputedAt).TotalSeconds;
        var finished = completed - previous.CompletedTotal;
        if (elapsed <= 0 || finished < 0)
        {
            // Clock went backwards or the counters were reset: keep what was measured.
            return new HoldingTime(completed, previous.WeightedCallSeconds, previous.WeightedCompletions, previous.MeanDurationSeconds is > 0 and var kept ? kept : configured);
        }

        var keep = Math.Exp(-elapsed / settings.HoldingTimeWindow.TotalSeconds);
        var callSeconds = (keep * previous.WeightedCallSeconds) + ((previous.ActiveCalls + previous.DrainingCalls + demand.ActiveCalls + demand.DrainingCalls) / 2.0 * elapsed);
        var completions = (keep * previous.WeightedCompletions) + finished;
        var mean = completions >= MinCompletions ? callSeconds / completions : configured;
        return new HoldingTime(completed, callSeconds, completions, mean);
    }
}
