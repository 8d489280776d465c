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
    public async Task Nothing_waiting_or_no_free_slot_starts_nothing()
    {
        var waiting = new Waiting(new() { ["a"] = 0 });
        Assert.Equal(0, await new FairPuller().PullAsync(["a"], 5, waiting.TakeAsync));
        Assert.Equal(0, await new FairPuller().PullAsync([], 5, waiting.TakeAsync));
        Assert.Equal(0, await new FairPuller().PullAsync(["a"], 0, waiting.TakeAsync));
    }
}
