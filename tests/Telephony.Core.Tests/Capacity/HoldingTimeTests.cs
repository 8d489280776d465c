using Telephony.Core.Capacity;

namespace Telephony.Core.Tests.Capacity;

public sealed class HoldingTimeTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly CapacitySettings Settings = new()
    {
        DefaultNodeCapacity = 10,
        MeanCallDuration = TimeSpan.FromSeconds(100),
        ForecastHorizon = TimeSpan.FromSeconds(60),
        HoldingTimeWindow = TimeSpan.FromMinutes(10),
        MaxNodes = 100,
    };

    /// <summary>30 calls always running, 5 more released (and 5 ended) every 10 s: 300 call-seconds per 5 completions, 60 s each.</summary>
    private static DemandSnapshot Steady(int interval, int draining = 0) =>
        new(Start + TimeSpan.FromSeconds(10 * interval), 30 + (5 * interval), 0, 0, 0, 30 - draining, 1, 10, draining);

    [Fact]
    public void Measured_by_littles_law_once_enough_calls_ended_and_used_for_the_forecast()
    {
        var plan = CapacityPlanner.Plan(Settings, null, Steady(0));
        var means = new List<double> { plan.MeanDurationSeconds };
        for (var i = 1; i <= 10; i++)
        {
            plan = CapacityPlanner.Plan(Settings, plan, Steady(i));
            means.Add(plan.MeanDurationSeconds);
        }

        // Weighted completions pass 30 at the 7th interval (5 per 10 s, fading over 10 min): the configured 100 s until then.
        Assert.All(means.Take(7), m => Assert.Equal(100, m));
        Assert.All(means.Skip(7), m => Assert.Equal(60, m, 6));
        var survives = Math.Exp(-1);
        Assert.Equal((30 * survives) + (plan.ReleaseRate * 60 * (1 - survives)), plan.ForecastSlots, 6);
    }

    [Fact]
    public void Calls_on_draining_nodes_have_not_ended()
    {
        var before = CapacityPlanner.Plan(Settings, null, Steady(0));

        // 20 of the 30 running calls are now on draining nodes and 5 ended: 5 completions, not 25.
        var after = CapacityPlanner.Plan(Settings, before, Steady(1, draining: 20));

        Assert.Equal(5, after.CompletedTotal - before.CompletedTotal);
        Assert.Equal(300, after.WeightedCallSeconds, 6);
    }

    [Fact]
    public void Configured_mean_when_measurement_is_off_and_kept_across_a_counter_reset()
    {
        var off = Settings with { MeasureHoldingTime = false };
        var plan = CapacityPlanner.Plan(off, null, Steady(0));
        for (var i = 1; i <= 10; i++)
        {
            plan = CapacityPlanner.Plan(off, plan, Steady(i));
        }

        Assert.Equal(100, plan.MeanDurationSeconds);

        var measured = CapacityPlanner.Plan(Settings, null, Steady(0));
        for (var i = 1; i <= 10; i++)
        {
            measured = CapacityPlanner.Plan(Settings, measured, Steady(i));
        }

        var reset = CapacityPlanner.Plan(Settings, measured, new DemandSnapshot(Start + TimeSpan.FromSeconds(110), 3, 0, 0, 0, 3, 1, 10));
        Assert.Equal(60, reset.MeanDurationSeconds, 6);
    }
}
