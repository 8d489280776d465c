using Telephony.Core.Capacity;

namespace Telephony.Core.Tests.Capacity;

public sealed class CapacityPlannerTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly CapacitySettings Settings = new()
    {
        DefaultNodeCapacity = 10,
        Headroom = 0.2,
        MeanCallDuration = TimeSpan.FromSeconds(100),
        Smoothing = 0.5,
        ScaleInDelay = TimeSpan.FromMinutes(5),
        MinNodes = 1,
        MaxNodes = 20,
    };

    private static DemandSnapshot Demand(int seconds, long admitted = 0, int due = 0, int active = 0, int live = 1) =>
        new(Start + TimeSpan.FromSeconds(seconds), admitted, due, due, active, live, 10);

    [Theory]
    [InlineData(0, 0, 1)] // idle: the minimum
    [InlineData(8, 0, 1)] // 8 x 1.2 = 9.6 slots
    [InlineData(9, 0, 2)] // 10.8 slots
    [InlineData(20, 30, 6)] // 50 x 1.2 = 60 slots
    [InlineData(500, 0, 20)] // capped at MaxNodes
    public void Nodes_cover_running_and_soon_released_calls_plus_headroom(int active, int due, int expected)
    {
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, due: due, active: active));

        Assert.Equal(expected, plan.DesiredNodes);
        Assert.Equal(active + due, plan.RequiredSlots);
    }

    [Fact]
    public void Arrival_rate_is_smoothed_and_sized_by_littles_law()
    {
        var first = CapacityPlanner.Plan(Settings, null, Demand(0, admitted: 0));

        // 10 calls/s for 10 s: the smoothed rate is half of it (alpha 0.5), but a rising sample is used at once.
        var second = CapacityPlanner.Plan(Settings, first, Demand(10, admitted: 100));

        Assert.Equal(5, second.ArrivalRate, 6);
        Assert.Equal(10 * 100, second.RequiredSlots, 6); // 10/s x 100 s
        Assert.Equal(20, second.DesiredNodes); // 1200 slots / 10, capped
    }

    [Fact]
    public void Scale_out_is_immediate_and_scale_in_waits_for_the_lower_target_to_hold()
    {
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, active: 45, live: 1));
        Assert.Equal(6, plan.DesiredNodes);

        // Load drops: the plan holds 6 nodes for five minutes, then follows.
        var times = new List<(int Second, int Desired)>();
        for (var second = 10; second <= 330; second += 10)
        {
            plan = CapacityPlanner.Plan(Settings, plan, Demand(second, active: 5, live: 6));
            times.Add((second, plan.DesiredNodes));
        }

        Assert.All(times.Where(t => t.Second < 310), t => Assert.Equal(6, t.Desired));
        Assert.All(times.Where(t => t.Second >= 310), t => Assert.Equal(1, t.Desired));
    }

    [Fact]
    public void A_brief_dip_does_not_restart_nodes_and_resets_the_scale_in_clock()
    {
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, active: 45));
        plan = CapacityPlanner.Plan(Settings, plan, Demand(10, active: 5));
        Assert.Equal(Start + TimeSpan.FromSeconds(10), plan.LowerTargetSince);

        plan = CapacityPlanner.Plan(Settings, plan, Demand(200, active: 45));
        Assert.Null(plan.LowerTargetSince);
        Assert.Equal(6, plan.DesiredNodes);

        plan = CapacityPlanner.Plan(Settings, plan, Demand(400, active: 5));
        Assert.Equal(6, plan.DesiredNodes);
        Assert.Equal(Start + TimeSpan.FromSeconds(400), plan.LowerTargetSince);
    }

    [Fact]
    public void A_counter_reset_or_clock_step_back_keeps_the_last_rate()
    {
        var first = CapacityPlanner.Plan(Settings, null, Demand(0, admitted: 0));
        var second = CapacityPlanner.Plan(Settings, first, Demand(10, admitted: 20));

        var reset = CapacityPlanner.Plan(Settings, second, Demand(20, admitted: 3));
        var stepBack = CapacityPlanner.Plan(Settings, second, Demand(5, admitted: 30));

        Assert.Equal(second.ArrivalRate, reset.ArrivalRate);
        Assert.Equal(second.ArrivalRate, stepBack.ArrivalRate);
    }
}
