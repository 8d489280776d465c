using Telephony.Core.Capacity;
using Telephony.Core.Nodes;
using Telephony.Functions.Tests.Api;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Capacity;

[Collection(ApiCollection.Name)]
public sealed class CapacityAdminApiTests(ApiFixture api)
{
    [Fact]
    public async Task The_operator_reads_and_sets_a_tenants_limits_and_tenants_may_not()
    {
        var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        var path = $"/v1/Accounts/{tenant.Sid}/Limits";

        var defaults = await Json(await admin.GetAsync(path), 200);
        Assert.Equal(1, defaults.GetProperty("calls_per_second").GetDouble());
        Assert.Equal(0, defaults.GetProperty("running_calls").GetInt32());

        var set = await Json(await admin.PostAsync(path, Form(("CallsPerSecond", "2.5"), ("MaxQueuedCalls", "40"))), 200);
        Assert.Equal(2.5, set.GetProperty("calls_per_second").GetDouble());
        Assert.Equal(40, set.GetProperty("max_queued_calls").GetInt32());
        Assert.Equal(100, set.GetProperty("max_concurrent_calls").GetInt32());
        var read = await Json(await admin.GetAsync(path), 200);
        Assert.Equal(2.5, read.GetProperty("calls_per_second").GetDouble());

        await TwilioError(await admin.PostAsync(path, Form(("CallsPerSecond", "fast"))), 400, 20001);
        await TwilioError(await admin.PostAsync(path, Form(("CallsPerSecond", "0"))), 400, 20001);
        await TwilioError(await admin.PostAsync(path, Form(("Bogus", "1"))), 400, 20001);
        await TwilioError(await tenant.Client.GetAsync(path), 403, 20403);
        await TwilioError(await admin.GetAsync("/v1/Accounts/AC00000000000000000000000000000000/Limits"), 404, 20404);
        Assert.Equal(2.5, (await Json(await admin.GetAsync(path), 200)).GetProperty("calls_per_second").GetDouble());
    }

    [Fact]
    public async Task Nodes_and_the_capacity_plan_with_history_are_shown_to_the_operator()
    {
        var now = DateTimeOffset.UtcNow;
        var nodeId = "capacity-test-" + Guid.NewGuid().ToString("N")[..8];
        await new NodeStore(api.Storage).UpsertAsync(new NodeRecord
        {
            Id = nodeId,
            Address = "udp:127.0.0.1:5080",
            Capacity = 50,
            ActiveCalls = 7,
            State = NodeState.Draining,
            StartedAt = now.AddMinutes(-3),
            LastHeartbeat = now,
        });
        var reserveId = nodeId + "-reserve";
        await new NodeStore(api.Storage).UpsertAsync(new NodeRecord
        {
            Id = reserveId,
            Address = "udp:127.0.0.1:5082",
            Capacity = 50,
            ActiveCalls = 3,
            State = NodeState.Ready,
            Reserve = true,
            StartedAt = now.AddMinutes(-3),
            LastHeartbeat = now,
        });
        await new NodeStore(api.Storage).SetReserveRequestedAsync(reserveId, true);
        var plans = new CapacityPlanStore(api.Storage);
        var older = CapacityPlanner.Plan(new CapacitySettings(), null, new DemandSnapshot(now.AddSeconds(-10), 0, 0, 0, 0, 0, 1, 50));
        var newer = CapacityPlanner.Plan(new CapacitySettings(), older, new DemandSnapshot(now, 0, 45, 45, 0, 120, 1, 50));
        await plans.AddAsync(older);
        await plans.AddAsync(newer);
        using var admin = api.Admin();

        var nodes = await Json(await admin.GetAsync("/v1/Nodes"), 200);
        var node = Assert.Single(nodes.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("id").GetString() == nodeId);
        Assert.Equal("draining", node.GetProperty("state").GetString());
        Assert.Equal(7, node.GetProperty("active_calls").GetInt32());
        Assert.InRange(node.GetProperty("age_seconds").GetInt64(), 170, 3600);
        Assert.False(node.GetProperty("reserve").GetBoolean());
        var reserve = Assert.Single(nodes.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("id").GetString() == reserveId);
        Assert.Equal(("ready", true, true), (reserve.GetProperty("state").GetString(), reserve.GetProperty("reserve").GetBoolean(), reserve.GetProperty("reserve_requested").GetBoolean()));

        var capacity = await Json(await admin.GetAsync("/v1/Capacity"), 200);
        var plan = capacity.GetProperty("plan");
        Assert.Equal(newer.DesiredNodes, plan.GetProperty("desired_nodes").GetInt32());
        Assert.Equal(newer.ActiveNodes, plan.GetProperty("active_nodes").GetInt32());
        Assert.Equal(newer.ForecastSlots, plan.GetProperty("forecast_slots").GetDouble(), 6);
        Assert.Equal(newer.MeanDurationSeconds, plan.GetProperty("mean_call_seconds").GetDouble(), 6);
        Assert.Equal(newer.DrainingCalls, plan.GetProperty("draining_calls").GetInt32());
        Assert.Equal(3, newer.DesiredNodes); // 120 running and 1 call/s due for 120 s calls (steady): 120 + 2 deviations (8) = 136 slots
        var history = capacity.GetProperty("history").EnumerateArray().Select(p => p.GetProperty("desired_nodes").GetInt32()).ToList();
        Assert.Equal([3, 1], history.Take(2));

        var tenant = await api.CreateTenantAsync();
        await TwilioError(await tenant.Client.GetAsync("/v1/Capacity"), 403, 20403);
        await TwilioError(await api.Client("admin", "wrong").GetAsync("/v1/Nodes"), 401, 20003);
    }
}
