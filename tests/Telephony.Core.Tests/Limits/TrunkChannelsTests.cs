using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Limits;

namespace Telephony.Core.Tests.Limits;

public sealed class TrunkChannelsTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    private TrunkChannels Node(string name) =>
        new(fixture.Storage, $"{name}-{Guid.NewGuid():N}", _time, TimeSpan.FromSeconds(45), NullLogger<TrunkChannels>.Instance);

    private static string UniqueTrunk(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Two_nodes_on_one_trunk_share_its_channels_instead_of_each_having_them_all()
    {
        var trunk = UniqueTrunk("carrier");
        var a = Node("a");
        var b = Node("b");

        Assert.True(await a.TryTakeAsync(trunk, 3));
        Assert.True(await a.TryTakeAsync(trunk, 3));
        Assert.True(await b.TryTakeAsync(trunk, 3));
        Assert.False(await b.TryTakeAsync(trunk, 3));
        Assert.False(await a.TryTakeAsync(trunk, 3));
        Assert.Equal(2, a.InUse(trunk));
        Assert.Equal(1, b.InUse(trunk));

        // A call on node a ends: its channel is free for node b.
        await a.ReturnAsync(trunk);
        Assert.True(await b.TryTakeAsync(trunk, 3));
        Assert.False(await a.TryTakeAsync(trunk, 3));
    }

    [Fact]
    public async Task Nodes_racing_for_the_last_channels_never_take_more_than_the_trunk_has()
    {
        var trunk = UniqueTrunk("race");
        var nodes = Enumerable.Range(0, 3).Select(i => Node($"n{i}")).ToList();

        var granted = await Task.WhenAll(nodes.SelectMany(n => Enumerable.Range(0, 4).Select(_ => n.TryTakeAsync(trunk, 5))));

        Assert.Equal(5, granted.Count(g => g));
        Assert.Equal(5, nodes.Sum(n => n.InUse(trunk)));
    }

    [Fact]
    public async Task Trunks_are_counted_apart_and_any_configured_name_is_a_valid_key()
    {
        // '/', '#', '?' and '\' are not allowed in a Table partition key; the ledger escapes them.
        var odd = UniqueTrunk("eu/west#1?primary\\b");
        var other = UniqueTrunk("other");
        var node = Node("n");

        Assert.True(await node.TryTakeAsync(odd, 1));
        Assert.False(await node.TryTakeAsync(odd, 1));
        Assert.True(await node.TryTakeAsync(other, 1));
    }

    [Fact]
    public async Task A_dead_nodes_channels_come_back_after_the_expiry_while_a_live_nodes_stay_counted()
    {
        var trunk = UniqueTrunk("expiry");
        var dead = Node("dead");
        var live = Node("live");
        Assert.True(await dead.TryTakeAsync(trunk, 2));
        Assert.True(await live.TryTakeAsync(trunk, 2));
        Assert.False(await live.TryTakeAsync(trunk, 2));

        // The live node heartbeats (refreshes its row); the dead one does not.
        _time.Advance(TimeSpan.FromSeconds(30));
        await live.RefreshAsync();
        _time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(await live.TryTakeAsync(trunk, 2));
        Assert.False(await live.TryTakeAsync(trunk, 2));
    }
}
