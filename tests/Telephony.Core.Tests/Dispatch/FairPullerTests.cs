using Telephony.Core.Dispatch;

namespace Telephony.Core.Tests.Dispatch;

public sealed class FairPullerTests
{
    /// <summary>Waiting calls per tenant; take removes up to max of them.</summary>
    private sealed class Waiting(Dictionary<string, int> waiting)
    {
        public List<string> Served { get; } = [];

        public Task<int> TakeAsync(string tenant, int max, CancellationToken cancellationToken)
        {
            var got = Math.Min(max, waiting.GetValueOrDefault(tenant));
            waiting[tenant] = waiting.GetValueOrDefault(tenant) - got;
            Served.AddRange(Enumerable.Repeat(tenant, got));
            return Task.FromResult(got);
        }
    }

    [Fact]
    public async Task A_light_tenants_call_gets_one_of_few_free_slots_although_a_heavy_tenant_has_hundreds_released()
    {
        var waiting = new Waiting(new() { ["heavy"] = 500, ["light1"] = 1, ["light2"] = 1 });
        var puller = new FairPuller();

        var started = await puller.PullAsync(["heavy", "light1", "light2"], 3, waiting.TakeAsync);

        Assert.Equal(3, started);
        Assert.Equal(["heavy", "light1", "light2"], waiting.Served);
    }

    [Fact]
    public async Task Slots_a_tenant_cannot_use_go_to_the_others_in_the_same_pull()
    {
        var waiting = new Waiting(new() { ["a"] = 2, ["b"] = 100, ["c"] = 0 });

        var started = await new FairPuller().PullAsync(["a", "b", "c"], 30, waiting.TakeAsync);

        Assert.Equal(30, started);
        Assert.Equal(2, waiting.Served.Count(t => t == "a"));
        Assert.Equal(28, waiting.Served.Count(t => t == "b"));
    }

    [Fact]
    public async Task Single_free_slots_rotate_through_the_tenants_with_waiting_calls()
    {
        var waiting = new Waiting(new() { ["a"] = 10, ["b"] = 10, ["c"] = 10 });
        var puller = new FairPuller();

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(1, await puller.PullAsync(["c", "a", "b"], 1, waiting.TakeAsync));
        }

        Assert.Equal(["a", "b", "c", "a", "b", "c"], waiting.Served);
    }

    [Fact]
    public async Task The_tenant_running_fewer_calls_on_the_node_gets_the_free_slots_first()
    {
        var waiting = new Waiting(new() { ["heavy"] = 500, ["light"] = 5 });
        var running = new Dictionary<string, int> { ["heavy"] = 40, ["light"] = 2 };

        Assert.Equal(2, await new FairPuller().PullAsync(["heavy", "light"], 2, waiting.TakeAsync, t => running[t]));
        Assert.Equal(["light", "light"], waiting.Served);

        // Levelled out: with 40 free slots, light's 3 remaining calls bring it to 7 and heavy takes the other 37.
        Assert.Equal(40, await new FairPuller().PullAsync(["heavy", "light"], 40, waiting.TakeAsync, t => running[t]));
        Assert.Equal(5, waiting.Served.Count(t => t == "light"));
        Assert.Equal(37, waiting.Served.Count(t => t == "heavy"));
    }

    [Fact]
    public async Task The_busiest_tenant_never_takes_the_reserve_kept_for_the_others_next_calls()
    {
        var waiting = new Waiting(new() { ["heavy"] = 500, ["light"] = 0 });
        var running = new Dictionary<string, int> { ["heavy"] = 40, ["light"] = 2 };

        Assert.Equal(3, await new FairPuller().PullAsync(["heavy", "light"], 8, waiting.TakeAsync, t => running[t], reserve: 5));

        // The light tenant's next call finds the reserve; alone, a tenant may use every slot.
        waiting = new Waiting(new() { ["heavy"] = 500, ["light"] = 1 });
        Assert.Equal(1, await new FairPuller().PullAsync(["heavy", "light"], 5, waiting.TakeAsync, t => running[t], reserve: 5));
        Assert.Equal(["light"], waiting.Served);
        Assert.Equal(5, await new FairPuller().PullAsync(["heavy"], 5, waiting.TakeAsync, t => running[t], reserve: 5));

        // Offered alone while another tenant exists (a quiet one the node did not look at this time): the reserve stays.
        Assert.Equal(0, await new FairPuller().PullAsync(["heavy"], 5, waiting.TakeAsync, t => running[t], reserve: 5, knownTenants: 2));
        Assert.Equal(3, await new FairPuller().PullAsync(["heavy"], 8, waiting.TakeAsync, t => running[t], reserve: 5, knownTenants: 2));
    }

    [Fact]
    public async Task Nothing_waiting_or_no_free_slot_starts_nothing()
    {
        var waiting = new Waiting(new() { ["a"] = 0 });
        Assert.Equal(0, await new FairPuller().PullAsync(["a"], 5, waiting.TakeAsync));
        Assert.Equal(0, await new FairPuller().PullAsync([], 5, waiting.TakeAsync));
        Assert.Equal(0, await new FairPuller().PullAsync(["a"], 0, waiting.TakeAsync));
    }
}
