using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Dispatch;
using Telephony.Core.Ids;

namespace Telephony.Core.Tests.Dispatch;

public sealed class TenantConcurrencyTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));

    private TenantConcurrency Node(string id) => new(fixture.Storage, id, _time, TimeSpan.FromSeconds(45), NullLogger<TenantConcurrency>.Instance);

    [Fact]
    public async Task Nodes_racing_for_a_tenants_slots_never_exceed_its_limit_together()
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var nodes = Enumerable.Range(0, 4).Select(i => Node($"n{i}-{Guid.NewGuid():N}")).ToList();

        // Every node tries to take 5 slots at once; the tenant may run 7 calls in all.
        var granted = await Task.WhenAll(nodes.SelectMany(n => Enumerable.Range(0, 5).Select(_ => n.TryTakeAsync(account, 7))));

        Assert.Equal(7, granted.Count(g => g));
        Assert.Equal(7, nodes.Sum(n => n.Running(account)));
        Assert.False(await nodes[0].TryTakeAsync(account, 7));

        // A call ends on some node: exactly one more may start, on any node.
        var busy = nodes.First(n => n.Running(account) > 0);
        await busy.ReturnAsync(account);
        Assert.True(await nodes[3].TryTakeAsync(account, 7));
        Assert.False(await nodes[2].TryTakeAsync(account, 7));
    }

    [Fact]
    public async Task A_dead_nodes_calls_stop_counting_after_the_expiry_while_a_live_node_keeps_its_own_counted()
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var dead = Node("dead-" + Guid.NewGuid().ToString("N"));
        var live = Node("live-" + Guid.NewGuid().ToString("N"));
        Assert.True(await dead.TryTakeAsync(account, 2));
        Assert.True(await live.TryTakeAsync(account, 2));
        var other = Node("other-" + Guid.NewGuid().ToString("N"));
        Assert.False(await other.TryTakeAsync(account, 2));

        // The live node refreshes on its heartbeat; the dead one never writes again.
        _time.Advance(TimeSpan.FromSeconds(30));
        await live.RefreshAsync();
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(await other.TryTakeAsync(account, 2));
        Assert.False(await other.TryTakeAsync(account, 2));
    }

    [Fact]
    public async Task Tenants_do_not_share_limits()
    {
        var node = Node("n-" + Guid.NewGuid().ToString("N"));
        var a = Sid.NewRandom(Sid.AccountPrefix);
        var b = Sid.NewRandom(Sid.AccountPrefix);

        Assert.True(await node.TryTakeAsync(a, 1));
        Assert.False(await node.TryTakeAsync(a, 1));
        Assert.True(await node.TryTakeAsync(b, 1));
    }
}
