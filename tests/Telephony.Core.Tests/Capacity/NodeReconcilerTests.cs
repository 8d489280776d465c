using Telephony.Core.Capacity;
using Telephony.Core.Nodes;

namespace Telephony.Core.Tests.Capacity;

public sealed class NodeReconcilerTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly CapacitySettings Settings = new();
    private static readonly Dictionary<string, DateTimeOffset> NoDrains = [];

    private static NodeRecord Node(string id, NodeState state = NodeState.Ready, int active = 0, int ageMinutes = 60, int silentSeconds = 5, bool reserve = false) => new()
    {
        ReserveRequested = reserve,
        Id = id,
        Address = "udp:127.0.0.1:5080",
        Capacity = 50,
        ActiveCalls = active,
        State = state,
        StartedAt = Now - TimeSpan.FromMinutes(ageMinutes),
        LastHeartbeat = Now - TimeSpan.FromSeconds(silentSeconds),
    };

    [Fact]
    public void Missing_nodes_are_started_counting_those_still_starting()
    {
        var actions = NodeReconciler.Reconcile(Settings, 4, 0, [Node("a"), Node("b", NodeState.Starting)], [new("c", Now - TimeSpan.FromSeconds(30))], NoDrains, Now);

        Assert.Equal(1, actions.Start);
        Assert.Empty(actions.Drain);
        Assert.Empty(actions.Remove);
    }

    [Fact]
    public void Scale_in_makes_the_least_loaded_nodes_reserve_and_drains_none_with_calls_or_young()
    {
        var nodes = new[]
        {
            Node("busy", active: 30), Node("quiet", active: 2), Node("young", active: 0, ageMinutes: 1, reserve: true),
            Node("running-down", active: 4, reserve: true), Node("empty", active: 0, reserve: true),
        };

        var actions = NodeReconciler.Reconcile(Settings, 1, 1, nodes, [], NoDrains, Now);

        Assert.Equal(["empty"], actions.Drain);
        Assert.Equal(["quiet"], actions.Reserve);
        Assert.Empty(actions.Activate);
        Assert.Empty(actions.Remove);
        Assert.Equal(0, actions.Start);
    }

    [Theory]
    [InlineData(NodeState.Ready, 3, 10, false)] // asked, not yet acknowledged
    [InlineData(NodeState.Ready, 0, 10, false)] // idle but may still pick up work until it acknowledges
    [InlineData(NodeState.Draining, 3, 10, false)] // live calls: never removed early
    [InlineData(NodeState.Draining, 3, 239, false)]
    [InlineData(NodeState.Draining, 0, 10, true)] // drained
    [InlineData(NodeState.Draining, 3, 240, true)] // drain timeout (4 h)
    public void A_draining_node_is_removed_only_when_idle_or_after_the_drain_timeout(NodeState state, int active, int drainingMinutes, bool removed)
    {
        var drains = new Dictionary<string, DateTimeOffset> { ["n"] = Now - TimeSpan.FromMinutes(drainingMinutes) };

        var actions = NodeReconciler.Reconcile(Settings, 0, 0, [Node("n", state, active)], [], drains, Now);

        Assert.Equal(removed, actions.Remove.Any(r => r.NodeId == "n"));
        Assert.Empty(actions.Drain);
    }

    [Fact]
    public void Dead_and_stopped_nodes_are_removed_and_replaced()
    {
        var nodes = new[] { Node("dead", active: 7, silentSeconds: 120), Node("stopped", NodeState.Stopped), Node("ok") };

        var actions = NodeReconciler.Reconcile(Settings, 3, 0, nodes, [], NoDrains, Now);

        Assert.Contains(new NodeRemoval("dead", RemovalReason.HeartbeatExpired), actions.Remove);
        Assert.Contains(new NodeRemoval("stopped", RemovalReason.Stopped), actions.Remove);
        Assert.Equal(2, actions.Start);
    }

    [Fact]
    public void An_instance_that_never_reports_is_given_up_after_the_start_timeout()
    {
        var actions = NodeReconciler.Reconcile(Settings, 1, 0, [], [new("stuck", Now - TimeSpan.FromMinutes(6))], NoDrains, Now);

        Assert.Equal([new NodeRemoval("stuck", RemovalReason.NeverStarted)], actions.Remove);
        Assert.Equal(1, actions.Start);
    }

    [Fact]
    public void Draining_nodes_do_not_count_as_capacity()
    {
        var drains = new Dictionary<string, DateTimeOffset> { ["old"] = Now - TimeSpan.FromMinutes(1) };

        var actions = NodeReconciler.Reconcile(Settings, 2, 0, [Node("old", NodeState.Draining, 5), Node("new")], [], drains, Now);

        Assert.Equal(1, actions.Start);
        Assert.Empty(actions.Remove);
    }

    [Fact]
    public void Surplus_active_nodes_become_reserve_least_loaded_first_and_none_is_drained()
    {
        var nodes = new[] { Node("full", active: 48), Node("half", active: 25), Node("light", active: 3), Node("empty", active: 0) };

        var actions = NodeReconciler.Reconcile(Settings, 4, 2, nodes, [], NoDrains, Now);

        Assert.Equal(["empty", "light"], actions.Reserve);
        Assert.Empty(actions.Activate);
        Assert.Empty(actions.Drain);
        Assert.Equal(0, actions.Start);
    }

    [Fact]
    public void When_more_nodes_must_take_calls_the_fullest_reserve_nodes_become_active_before_any_start()
    {
        var nodes = new[] { Node("a", active: 40), Node("nearly-empty", active: 2, reserve: true), Node("running-down", active: 20, reserve: true) };

        var actions = NodeReconciler.Reconcile(Settings, 3, 2, nodes, [], NoDrains, Now);

        Assert.Equal(["running-down"], actions.Activate);
        Assert.Empty(actions.Reserve);
        Assert.Equal(0, actions.Start);
    }

    [Fact]
    public void A_plan_with_more_nodes_makes_every_reserve_node_active_and_starts_the_rest()
    {
        var nodes = new[] { Node("a", active: 50), Node("r1", active: 9, reserve: true), Node("r2", active: 1, reserve: true) };

        var actions = NodeReconciler.Reconcile(Settings, 5, 5, nodes, [], NoDrains, Now);

        Assert.Equal(["r1", "r2"], actions.Activate);
        Assert.Equal(2, actions.Start);
    }

    [Fact]
    public void Starting_nodes_count_as_active_and_an_old_plan_without_active_nodes_keeps_every_node_active()
    {
        var nodes = new[] { Node("a", active: 10), Node("b", active: 5), Node("r", active: 0, reserve: true) };
        var starting = new ProvisionedNode[] { new("new", Now - TimeSpan.FromSeconds(20)) };

        var withStart = NodeReconciler.Reconcile(Settings, 4, 2, nodes, starting, NoDrains, Now);
        var oldPlan = NodeReconciler.Reconcile(Settings, 3, 0, nodes, [], NoDrains, Now);

        Assert.Equal(["b"], withStart.Reserve);
        Assert.Equal(["r"], oldPlan.Activate);
        Assert.Empty(oldPlan.Reserve);
    }

    [Fact]
    public void A_plan_that_rises_while_surplus_nodes_run_down_gets_them_back_without_a_start()
    {
        var nodes = new[] { Node("a", active: 45), Node("r1", active: 12, reserve: true), Node("r2", active: 3, reserve: true) };

        var shrinking = NodeReconciler.Reconcile(Settings, 1, 1, nodes, [], NoDrains, Now);
        var rising = NodeReconciler.Reconcile(Settings, 3, 3, nodes, [], NoDrains, Now);

        Assert.True(shrinking.IsEmpty);
        Assert.Equal(["r1", "r2"], rising.Activate);
        Assert.Equal(0, rising.Start);
    }
}
