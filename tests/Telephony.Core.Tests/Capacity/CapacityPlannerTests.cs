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
        MeasureHoldingTime = false,
        ForecastHorizon = TimeSpan.FromSeconds(60),
        Smoothing = 0.5,
        ScaleInDelay = TimeSpan.FromMinutes(5),
        ScaleInSpare = 2,
        MinNodes = 1,
        MaxNodes = 20,
    };

    /// <summary>Share of running calls still on after the 60 s horizon with a 100 s mean holding time.</summary>
    private static readonly double Survives = Math.Exp(-0.6);

    /// <summary>Demand with the due calls as the whole paced backlog; unless told, nothing was ever released (no measured rate).</summary>
    private static DemandSnapshot Demand(int seconds, long? admitted = null, int due = 0, int active = 0, int live = 1, int waiting = 0) =>
        new(Start + TimeSpan.FromSeconds(seconds), admitted ?? due, due, due, waiting, active, live, 10);

    [Theory]
    [InlineData(0, 0, 0, 0, 0, 1)] // idle: the minimum
    [InlineData(8, 0, 0, 4.3905, 8, 1)] // nothing new: 8 x e^-0.6 still on in 60 s; scale-in still counts the 8 here now
    [InlineData(20, 15, 0, 25.9762, 35, 4)] // waiting calls count in full (they have not started): 26 x 1.2 = 31.2 slots
    [InlineData(20, 0, 30, 33.5356, 33.5356, 5)] // 30 due in 60 s = 0.5/s x 100 s = 50 at steady state; 1 - e^-0.6 of it arrives, e^-0.6 of the 20 stays
    [InlineData(0, 0, 30, 22.5594, 22.5594, 3)] // the growth alone
    [InlineData(500, 0, 0, 274.406, 500, 20)] // capped at MaxNodes
    public void Forecast_counts_waiting_calls_the_running_calls_still_on_and_the_scheduled_ones(int active, int waiting, int due, double forecast, double required, int nodes)
    {
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, due: due, active: active, waiting: waiting));

        Assert.Equal(nodes, plan.DesiredNodes);
        Assert.Equal(forecast, plan.ForecastSlots, 3);
        Assert.Equal(required, plan.RequiredSlots, 3);
    }

    [Theory]
    [InlineData(0, 60, 6)] // 1/s x 100 s: 45.1 expected in 60 s + 2 x 6.7 (Poisson) = 58.6 slots, 30 % spare
    [InlineData(0, 600, 50)] // 10/s: 451.2 + 2 x 21.2 = 493.7 slots, 9 % spare
    [InlineData(100, 0, 7)] // nothing new: 54.9 still on + 2 x 5.0 (binomial: each one on or not) = 64.8 slots
    public void Spare_is_standard_deviations_of_the_forecast_so_large_clusters_keep_relatively_fewer_idle(int active, int due, int nodes)
    {
        var settings = Settings with { Headroom = 0, SpareDeviations = 2, MaxNodes = 100 };

        Assert.Equal(nodes, CapacityPlanner.Plan(settings, null, Demand(0, due: due, active: active)).DesiredNodes);
    }

    [Fact]
    public void Demand_inside_the_dead_band_never_scales_in()
    {
        // 45 running and 0.45/s due: steady at 45, 54 slots with 20 % spare.
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, due: 27, active: 45));
        Assert.Equal(6, plan.DesiredNodes);

        // 40 fit in 5 nodes with one spare (48 slots) but not with two (56): stay at 6, however long it lasts.
        for (var second = 10; second <= 1200; second += 10)
        {
            plan = CapacityPlanner.Plan(Settings, plan, Demand(second, due: 24, active: 40));
            Assert.Equal(6, plan.DesiredNodes);
            Assert.Equal(5, plan.TargetNodes);
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
    public void Scale_out_is_immediate_and_a_moderate_drop_waits_for_the_scale_in_delay()
    {
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, due: 6, active: 10));
        Assert.Equal(2, plan.DesiredNodes);
        plan = CapacityPlanner.Plan(Settings, plan, Demand(10, due: 27, active: 45));
        Assert.Equal(6, plan.DesiredNodes);
        Assert.Equal("scale out: demand above capacity", plan.Reason);

        // Steady 30: 36 + 2 x 6 fit in 5 nodes; twice the demand does not fit in fewer than 6, so the full delay applies.
        var times = new List<(int Second, int Desired)>();
        for (var second = 20; second <= 340; second += 10)
        {
            plan = CapacityPlanner.Plan(Settings, plan, Demand(second, due: 18, active: 30, live: 6));
            times.Add((second, plan.DesiredNodes));
        }

        Assert.All(times.Where(t => t.Second < 320), t => Assert.Equal(6, t.Desired));
        Assert.All(times.Where(t => t.Second >= 320), t => Assert.Equal(5, t.Desired));
        Assert.Null(plan.ClearDropSince);
    }

    [Fact]
    public void While_a_lower_demand_waits_for_the_scale_in_delay_only_the_target_s_nodes_stay_active()
    {
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, due: 27, active: 45));
        Assert.Equal((6, 6), (plan.DesiredNodes, plan.ActiveNodes));

        // Lower demand: the plan keeps 6 nodes for the delay, but only the target's take new calls; the rest run down.
        plan = CapacityPlanner.Plan(Settings, plan, Demand(10, due: 18, active: 30, live: 6));
        Assert.Equal("holding: lower demand not yet stable", plan.Reason);
        Assert.Equal(6, plan.DesiredNodes);
        Assert.True(plan.TargetNodes < 6);
        Assert.Equal(plan.TargetNodes, plan.ActiveNodes);

        // Demand back up: every kept node is active again at once, and the plan's node count never moved.
        plan = CapacityPlanner.Plan(Settings, plan, Demand(20, due: 27, active: 45, live: 6));
        Assert.Equal((6, 6), (plan.DesiredNodes, plan.ActiveNodes));
    }

    [Fact]
    public void Scale_in_keeps_the_most_the_lower_demand_needed_while_it_held_and_right_after_only_demand_itself_scales_out()
    {
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, due: 27, active: 45));
        Assert.Equal(6, plan.DesiredNodes);

        // Lower demand alternating between 30 (42 slots with the dead band: 5 nodes) and 20 (28: 3 nodes) for the delay.
        var desired = new List<int>();
        for (var second = 10; second <= 310; second += 10)
        {
            plan = second % 20 == 0 ? CapacityPlanner.Plan(Settings, plan, Demand(second, due: 12, active: 20, live: 6)) : CapacityPlanner.Plan(Settings, plan, Demand(second, due: 18, active: 30, live: 6));
            desired.Add(plan.DesiredNodes);
        }

        Assert.All(desired[..^1], d => Assert.Equal(6, d));
        Assert.Equal(5, plan.DesiredNodes);
        Assert.Equal(Start + TimeSpan.FromSeconds(310), plan.LastScaleInAt);

        // Soon after: 45 running want 6 nodes with their spare, but 45 fit in 5 — no node comes back for the spare alone.
        plan = CapacityPlanner.Plan(Settings, plan, Demand(320, due: 27, active: 45, live: 5));
        Assert.Equal(6, plan.TargetNodes);
        Assert.Equal(5, plan.DesiredNodes);

        // 55 do not fit in 5: demand itself scales out at once.
        plan = CapacityPlanner.Plan(Settings, plan, Demand(330, due: 33, active: 55, live: 5));
        Assert.Equal(6, plan.DesiredNodes);
        Assert.Equal("scale out: demand above capacity soon after a scale-in", plan.Reason);
    }

    [Fact]
    public void Demand_that_fell_by_half_or_more_scales_in_after_the_short_delay()
    {
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, due: 27, active: 45));
        Assert.Equal(6, plan.DesiredNodes);

        // 5 running, nothing due: 2 x 5 + spare fits in 2 nodes. Held for FastScaleInDelay (1 min), not ScaleInDelay.
        var times = new List<(int Second, int Desired, string Reason)>();
        for (var second = 10; second <= 100; second += 10)
        {
            plan = CapacityPlanner.Plan(Settings, plan, Demand(second, active: 5, live: 6));
            times.Add((second, plan.DesiredNodes, plan.Reason));
        }

        Assert.All(times.Where(t => t.Second < 70), t => Assert.Equal(6, t.Desired));
        Assert.Equal((70, 1, "scale in: demand fell by half or more"), times.Single(t => t.Second == 70));
        Assert.All(times.Where(t => t.Second > 70), t => Assert.Equal(1, t.Desired));
    }

    [Fact]
    public void A_brief_dip_does_not_restart_nodes_and_resets_the_scale_in_clock()
    {
        var plan = CapacityPlanner.Plan(Settings, null, Demand(0, due: 27, active: 45));
        plan = CapacityPlanner.Plan(Settings, plan, Demand(10, due: 18, active: 30));
        Assert.Equal(Start + TimeSpan.FromSeconds(10), plan.LowerTargetSince);
        Assert.Null(plan.ClearDropSince);

        plan = CapacityPlanner.Plan(Settings, plan, Demand(200, due: 27, active: 45));
        Assert.Null(plan.LowerTargetSince);
        Assert.Equal(6, plan.DesiredNodes);

        plan = CapacityPlanner.Plan(Settings, plan, Demand(400, due: 18, active: 30));
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
