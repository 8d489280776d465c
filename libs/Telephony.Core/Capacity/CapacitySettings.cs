namespace Telephony.Core.Capacity;

/// <summary>Knobs of capacity analysis and node allocation (configuration section Telephony:Capacity).</summary>
public sealed record CapacitySettings
{
    public const string Section = "Telephony:Capacity";

    /// <summary>Call slots per node assumed when no node has reported its capacity yet.</summary>
    public int DefaultNodeCapacity { get; init; } = 50;

    /// <summary>
    /// Spare share of slots kept above demand (0.05 = 5 %), on top of <see cref="SpareDeviations"/>. None by default: the
    /// deviations cover the fluctuation, and in the capacity bench a 5 % share bought no shorter waits (docs/BENCHMARKS-capacity.md).
    /// </summary>
    public double Headroom { get; init; }

    /// <summary>
    /// Spare slots as standard deviations of the expected concurrency (√ of it, a Poisson count): 2 keeps
    /// fluctuations of a steady load inside the plan while a large cluster keeps relatively few slots idle.
    /// </summary>
    public double SpareDeviations { get; init; } = 2;

    /// <summary>
    /// Mean call holding time for Little's law (concurrency = arrival rate x duration) until enough calls have ended
    /// to measure it (<see cref="MeasureHoldingTime"/>).
    /// </summary>
    public TimeSpan MeanCallDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Measure the mean holding time from the calls that ended (<see cref="HoldingTime"/>) instead of trusting the configured one.</summary>
    public bool MeasureHoldingTime { get; init; } = true;

    /// <summary>How long ended calls weigh in the holding-time measurement (e-folding time).</summary>
    public TimeSpan HoldingTimeWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How far ahead demand is forecast: when a node ordered now is ready (ACI: 30-60 s, 45 s on average). Also how far
    /// ahead paced calls count as due.
    /// </summary>
    public TimeSpan ForecastHorizon { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>EWMA weight of the newest arrival-rate sample.</summary>
    public double Smoothing { get; init; } = 0.3;

    /// <summary>
    /// Spare (in multiples of the scale-out spare) a smaller cluster must still leave before the plan scales in: 1 (the
    /// default) scales in when the scale-out target has been lower for the delay, higher values widen the dead band. A
    /// scale-in only makes nodes reserve until they are empty, and a rising plan takes them back without a start, so the
    /// dead band no longer guards running calls.
    /// </summary>
    public double ScaleInSpare { get; init; } = 1;

    /// <summary>A lower target must hold this long before nodes are drained (no flapping).</summary>
    public TimeSpan ScaleInDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A drop to half the demand or less is no fluctuation: it must hold only this long (about a node's start latency,
    /// what a wrong guess costs) before nodes are drained.
    /// </summary>
    public TimeSpan FastScaleInDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A node younger than this is never chosen for draining.</summary>
    public TimeSpan MinNodeLifetime { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>A node silent for longer than this is considered dead and replaced.</summary>
    public TimeSpan HeartbeatExpiry { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>After this, a draining node is removed even with live calls (they were given their chance).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromHours(4);

    /// <summary>A provisioned node that has not heartbeated within this is given up and removed.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public int MinNodes { get; init; } = 1;

    public int MaxNodes { get; init; } = 20;
}
