namespace Telephony.Core.Capacity;

/// <summary>One capacity analysis result; the previous plan is the next analysis' memory (rate, hysteresis).</summary>
public sealed record CapacityPlan
{
    public required DateTimeOffset ComputedAt { get; init; }

    /// <summary>Nodes the allocator should run.</summary>
    public required int DesiredNodes { get; init; }

    /// <summary>Nodes the demand alone asks for right now, before hysteresis.</summary>
    public required int TargetNodes { get; init; }

    public required int LiveNodes { get; init; }

    /// <summary>Smoothed (EWMA) calls released to the nodes per second.</summary>
    public required double ReleaseRate { get; init; }

    /// <summary>Call slots needed over the forecast horizon, before headroom.</summary>
    public required double RequiredSlots { get; init; }

    public required int ActiveCalls { get; init; }

    public required int BacklogTotal { get; init; }

    public required long AdmittedTotal { get; init; }

    /// <summary>Admitted calls whose release slot has passed (the counter the release rate is measured on).</summary>
    public required long ReleasedTotal { get; init; }

    public required int Waiting { get; init; }

    /// <summary>Since when the target has stayed below the desired count (scale-in waits for it).</summary>
    public DateTimeOffset? LowerTargetSince { get; init; }

    public required string Reason { get; init; }
}
