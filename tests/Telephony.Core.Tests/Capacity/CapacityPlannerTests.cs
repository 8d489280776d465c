using Telephony.Core.Capacity;

namespace Telephony.Core.Tests.Capacity;

public sealed class CapacityPlannerTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    private static readonly CapacitySettings Settings = new()
    {
        DefaultNodeCapacity = 10,
        Headroom = 0.2,
        SpareDeviations = 0,
        MeanCallDuration = TimeSpan.FromSeconds(100),
        Smoothing = 0.5,
        ScaleInDelay = TimeSpan.FromMinutes(5),
        MinNodes = 1,
        MaxNodes = 20,
    };

    private static DemandSnapshot Demand(int seconds, long admitted = 0, int due = 0, int active = 0, int live = 1, int waiting = 0) =>
        new(Start + TimeSpan.FromSeconds(seconds), admitted, due, due, waiting, active, live, 10);

    [Theory]
    [InlineData(0, 0, 0, 0, 1)] // idle: the minimum
    [InlineData(8, 0, 0, 8, 1)] // 8 x 1.2 = 9.6 slots
    [InlineData(9, 0, 0, 9, 2)] // 10.8 slots
    [InlineData(20, 15, 0, 35, 5)] // running + waiting: 42 slots
    [InlineData(20, 0, 30, 33.536, 5)] // 30 due in 60 s = 0.5/s x 100 s = 50 at steady state; 1 - e^-0.6 of the gap of 30 fills within the horizon
    [InlineData(500, 0, 0, 500, 20)] // capped at MaxNodes
    public void Nodes_cover_running_waiting_and_scheduled_calls_plus_headroom(int active, int waiting, int due, double slots, int nodes)
    {
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, due: due, active: active, waiting: waiting));

        Assert.Equal(nodes, plan.DesiredNodes);
        Assert.Equal(slots, plan.RequiredSlots, 3);
    }

    [Fact]
    public void Released_calls_waiting_for_a_slot_are_part_of_the_growth_toward_steady_state_not_extra()
    {
        // 30 due in 60 s: 50 calls at steady state; 10 running and 20 waiting are already 30 of them.
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, due: 30, active: 10, waiting: 20));

        Assert.Equal(30 + ((1 - Math.Exp(-0.6)) * 20), plan.RequiredSlots, 6);
    }

    [Theory]
    [InlineData(100, 12)] // 100 + 2 x 10 spare = 120 slots: 20 %
    [InlineData(400, 44)] // 400 + 2 x 20 = 440 slots: 10 %
    public void Spare_deviations_keep_relatively_fewer_idle_slots_as_the_load_grows(int active, int nodes)
    {
        var settings = Settings with { Headroom = 0, SpareDeviations = 2, MaxNodes = 100 };

        Assert.Equal(nodes, CapacityPlanner.Plan(settings, null, Demand(0, active: active)).DesiredNodes);
    }

    [Fact]
    public void Demand_inside_the_dead_band_never_scales_in()
    {
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, active: 45));
        Assert.Equal(6, plan.DesiredNodes);

        // 40 calls fit in 5 nodes with 20 % headroom but not with 40 %: stay at 6, however long it lasts.
        for (var second = 10; second <= 1200; second += 10)
        {
            plan = CapacityPlanner.Plan(Settings, plan, Demand(second, active: 40));
            Assert.Equal(6, plan.DesiredNodes);
            Assert.Null(plan.LowerTargetSince);
        }
    }

    [Fact]
    public void Release_rate_is_smoothed_and_sized_by_littles_law()
    {
        var first = CapacityPlanner.Plan(Settings, null, Demand(0, admitted: 0));

        // 10 calls/s released for 10 s: the smoothed rate is half of it (alpha 0.5).
        var second = CapacityPlanner.Plan(Settings, first, Demand(10, admitted: 100));
        Assert.Equal(5, second.ReleaseRate, 6);
        Assert.Equal(5 * 100 * (1 - Math.Exp(-0.6)), second.RequiredSlots, 6); // 5/s x 100 s, the part reached within 60 s
        Assert.Equal(20, second.DesiredNodes); // 271 slots / 10, capped

        // Admitted but still paced calls are not released: they do not count toward the measured rate.
        var paced = CapacityPlanner.Plan(Settings, second, new DemandSnapshot(Start + TimeSpan.FromSeconds(20), 1100, 0, 1000, 0, 0, 1, 10));
        Assert.Equal(0, paced.ReleasedTotal - second.ReleasedTotal);
        Assert.Equal(2.5, paced.ReleaseRate, 6);
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

        Assert.Equal(second.ReleaseRate, reset.ReleaseRate);
        Assert.Equal(second.ReleaseRate, stepBack.ReleaseRate);
    }
}
