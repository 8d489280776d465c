using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Limits;

namespace Telephony.Core.Tests.Limits;

public sealed class TrunkPacingTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private static readonly TimeSpan LongWait = TimeSpan.FromMinutes(1);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    private static string UniqueTrunk(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Calls_on_a_trunk_start_one_spacing_apart_and_an_idle_trunk_starts_at_once()
    {
        var trunk = UniqueTrunk("carrier");
        var pacing = new TrunkPacing(fixture.Storage, _time);

        Assert.Equal(TimeSpan.Zero, await pacing.TryReserveAsync(trunk, 2, LongWait));
        Assert.Equal(TimeSpan.FromSeconds(0.5), await pacing.TryReserveAsync(trunk, 2, LongWait));
        Assert.Equal(TimeSpan.FromSeconds(1), await pacing.TryReserveAsync(trunk, 2, LongWait));

        // Idle for a while: no burst was saved up, the next call starts now and the one after a spacing later.
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, await pacing.TryReserveAsync(trunk, 2, LongWait));
        Assert.Equal(TimeSpan.FromSeconds(0.5), await pacing.TryReserveAsync(trunk, 2, LongWait));
    }

    [Fact]
    public async Task Nodes_reserving_at_once_never_get_the_same_slot()
    {
        var trunk = UniqueTrunk("race");
        var nodes = Enumerable.Range(0, 3).Select(_ => new TrunkPacing(fixture.Storage, _time)).ToList();

        var waits = await Task.WhenAll(nodes.SelectMany(n => Enumerable.Range(0, 4).Select(_ => n.TryReserveAsync(trunk, 10, LongWait))));

        var expected = Enumerable.Range(0, 12).Select(k => TimeSpan.FromSeconds(k / 10.0)).ToList();
        Assert.Equal(expected, waits.Select(w => w!.Value).Order().ToList());
    }

    [Fact]
    public async Task A_slot_further_away_than_the_caller_waits_is_not_taken()
    {
        var trunk = UniqueTrunk("slow");
        var pacing = new TrunkPacing(fixture.Storage, _time);
        var maxWait = TimeSpan.FromSeconds(2);

        Assert.Equal(TimeSpan.Zero, await pacing.TryReserveAsync(trunk, 1, maxWait));
        Assert.Equal(TimeSpan.FromSeconds(1), await pacing.TryReserveAsync(trunk, 1, maxWait));
        Assert.Equal(TimeSpan.FromSeconds(2), await pacing.TryReserveAsync(trunk, 1, maxWait));
        Assert.Null(await pacing.TryReserveAsync(trunk, 1, maxWait));

        // The refused call took nothing: a second later the next slot (3 s from the start) is 2 s away.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(2), await pacing.TryReserveAsync(trunk, 1, maxWait));
    }

    [Fact]
    public async Task Trunks_are_paced_apart()
    {
        var pacing = new TrunkPacing(fixture.Storage, _time);
        var a = UniqueTrunk("a/b#c");
        var b = UniqueTrunk("b");

        Assert.Equal(TimeSpan.Zero, await pacing.TryReserveAsync(a, 1, LongWait));
        Assert.Equal(TimeSpan.Zero, await pacing.TryReserveAsync(b, 1, LongWait));
        Assert.Equal(TimeSpan.FromSeconds(1), await pacing.TryReserveAsync(a, 1, LongWait));
    }
}
