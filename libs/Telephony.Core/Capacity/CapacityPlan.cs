namespace Telephony.Core.Capacity;

/// <summary>One capacity analysis result; the previous plan is the next analysis' memory (rate, hysteresis).</summary>
public sealed record CapacityPlan
{
    public required DateTimeOffset ComputedAt { get; init; }

    /// <summary>Nodes the allocator should run.</summary>
    public required int DesiredNodes { get; init; }

    /// <summary>
    /// Of <see cref="DesiredNodes"/>, how many take new calls now (the demand's own target, without the scale-in delay or
    /// dead band); the allocator makes the others reserve, least loaded first, so their calls run down while the active
    /// nodes fill. 0 (plans stored before reserve nodes) means all of them.
    /// </summary>
    public int ActiveNodes { get; init; }

    /// <summary>Nodes the demand alone asks for right now, before hysteresis.</summary>
    public required int TargetNodes { get; init; }

    public required int LiveNodes { get; init; }

    /// <summary>Smoothed (EWMA) calls released to the nodes per second.</summary>
    public required double ReleaseRate { get; init; }

    /// <summary>Call slots needed from now to the forecast horizon (the larger of now and the forecast), before spare: what scale-in keeps.</summary>
    public required double RequiredSlots { get; init; }

    /// <summary>Concurrency expected one forecast horizon ahead, before spare: what scale-out adds nodes for.</summary>
    public double ForecastSlots { get; init; }

    public required int ActiveCalls { get; init; }

    /// <summary>Calls still running on draining nodes.</summary>
    public int DrainingCalls { get; init; }

    public required int BacklogTotal { get; init; }

    public required long AdmittedTotal { get; init; }

    /// <summary>Admitted calls whose release slot has passed (the counter the release rate is measured on).</summary>
    public required long ReleasedTotal { get; init; }

    public required int Waiting { get; init; }

    /// <summary>Since when the target has stayed below the desired count (scale-in waits for it).</summary>
    public DateTimeOffset? LowerTargetSince { get; init; }

    /// <summary>Since when demand has stayed at half or less of what fewer nodes hold (scale-in after the short delay).</summary>
    public DateTimeOffset? ClearDropSince { get; init; }

    /// <summary>The highest scale-in target since <see cref="LowerTargetSince"/>: what a scale-in after the delay keeps.</summary>
    public int? HeldLowerTarget { get; init; }

    /// <summary>When the plan last lowered its node count (within the scale-in delay after it, only demand itself scales out).</summary>
    public DateTimeOffset? LastScaleInAt { get; init; }

    public required string Reason { get; init; }

    /// <summary>Calls that have left the nodes (released − waiting − running), for the holding-time measurement.</summary>
    public long CompletedTotal { get; init; }

    /// <summary>Exponentially weighted call-seconds of the holding-time measurement (<see cref="HoldingTime"/>).</summary>
    public double WeightedCallSeconds { get; init; }

    /// <summary>Exponentially weighted completions of the holding-time measurement.</summary>
    public double WeightedCompletions { get; init; }

    /// <summary>Mean slot holding time used for Little's law (measured, else the configured mean).</summary>
    public double MeanDurationSeconds { get; init; }
}
