using Telephony.Core.Admission;

namespace Telephony.Capacity.Bench;

/// <summary>One call request as a tenant submits it.</summary>
internal sealed record Arrival(int Tenant, double At);

/// <summary>
/// A workload: tenants with their limits, every arrival (seconds from start), how long to run, and from when
/// waits are also reported separately (the heavy batch's start; the cluster's cold start lies before it).
/// </summary>
internal sealed record Scenario(string Name, IReadOnlyList<TenantLimits> Tenants, IReadOnlyList<Arrival> Arrivals, double Duration, double MeanCallSeconds, double WindowFrom = 0)
{
    private static TenantLimits Limits(double cps) => new() { CallsPerSecond = cps, MaxConcurrentCalls = 100_000, MaxQueuedCalls = 100_000 };

    /// <summary>Poisson arrivals at <paramref name="rate"/>(t) per second for tenant <paramref name="tenant"/>, by thinning.</summary>
    private static IEnumerable<Arrival> Poisson(Random random, int tenant, double from, double to, double maxRate, Func<double, double> rate)
    {
        for (var t = from + Exponential(random, maxRate); t < to; t += Exponential(random, maxRate))
        {
            if (random.NextDouble() * maxRate <= rate(t))
            {
                yield return new Arrival(tenant, t);
            }
        }
    }

    private static double Exponential(Random random, double rate) => -Math.Log(1 - random.NextDouble()) / rate;

    public static Scenario Steady(Random random) => new(
        "steady (10 tenants, 0.2 cps each, 2 h)",
        [.. Enumerable.Repeat(Limits(1), 10)],
        [.. Enumerable.Range(0, 10).SelectMany(t => Poisson(random, t, 0, 7200, 0.2, _ => 0.2)).OrderBy(a => a.At)],
        7200,
        120);

    public static Scenario Spike(Random random) => new(
        "spike (1 cps background, +5,000 calls in minute 10, 40 min)",
        [Limits(5), Limits(100)],
        [.. Poisson(random, 0, 0, 2400, 1, _ => 1).Concat(Enumerable.Range(0, 5000).Select(i => new Arrival(1, 600 + (i * 60.0 / 5000)))).OrderBy(a => a.At)],
        2400,
        120);

    public static Scenario Diurnal(Random random) => new(
        "diurnal (0.2 to 2 cps over 24 h)",
        [Limits(10)],
        [.. Poisson(random, 0, 0, 86_400, 2, t => 0.2 + (1.8 * (1 - Math.Cos(2 * Math.PI * t / 86_400)) / 2))],
        86_400,
        120);

    public static Scenario HeavyBatch(Random random) => new(
        "ten tenants, tenant 0 submits 20,000 calls at minute 5 (20 cps limit), nine light tenants 0.3 cps (1 cps limit), 1 h",
        [Limits(20), .. Enumerable.Repeat(Limits(1), 9)],
        [.. Enumerable.Repeat(new Arrival(0, 300), 20_000).Concat(Enumerable.Range(1, 9).SelectMany(t => Poisson(random, t, 0, 3600, 0.3, _ => 0.3))).OrderBy(a => a.At)],
        3600,
        60,
        WindowFrom: 300);
}
