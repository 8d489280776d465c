using Azure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Limits;
using Telephony.Core.Storage;

namespace Telephony.Core.Tests.Limits;

/// <summary>
/// <see cref="ClusterSlots"/> reservations on real Azurite: nodes (instances with their own node ids on one table) never
/// exceed a limit together, a node with headroom serves takes without storage requests, and unused slots go back.
/// </summary>
public sealed class ClusterSlotsTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(45);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));

    private ClusterSlots Node(string name, StorageClients? storage = null) =>
        new(storage ?? fixture.Storage, "test-", $"{name}-{Guid.NewGuid():N}", _time, Expiry, NullLogger.Instance);

    private static string UniqueKey() => Guid.NewGuid().ToString("N");

    private Task<int> ReservedAsync(string key) => ClusterSlots.CountInUseAsync(fixture.Storage, "test-" + key, _time.GetUtcNow() - Expiry);

    /// <summary>Storage clients whose table requests pass through <paramref name="probe"/>.</summary>
    private StorageClients Probed(TableRequestCounter probe) => probe.Storage(fixture.Storage.ConnectionString!);

    private static async Task<int> TakeAsync(ClusterSlots node, string key, int limit, int times)
    {
        var taken = 0;
        for (var i = 0; i < times; i++)
        {
            taken += await node.TryTakeAsync(key, limit) ? 1 : 0;
        }

        return taken;
    }

    [Fact]
    public async Task Two_nodes_holding_headroom_and_racing_for_the_last_slots_never_exceed_the_limit_together()
    {
        var key = UniqueKey();
        var a = Node("a");
        var b = Node("b");

        // Both first take calls one by one, so each holds unused reserved slots when the race starts.
        Assert.Equal(10, await TakeAsync(a, key, 60, 10));
        Assert.Equal(10, await TakeAsync(b, key, 60, 10));
        Assert.True(await ReservedAsync(key) > 20);

        // Then each asks for 50 more at once: the 40 left go, however the reservations fall.
        var granted = await Task.WhenAll(new[] { a, b }.SelectMany(n => Enumerable.Range(0, 50).Select(_ => n.TryTakeAsync(key, 60))));

        Assert.Equal(40, granted.Count(g => g));
        Assert.Equal(60, a.Running(key) + b.Running(key));
        Assert.Equal(60, await ReservedAsync(key));
        Assert.False(await a.TryTakeAsync(key, 60));
        Assert.False(await b.TryTakeAsync(key, 60));
    }

    [Fact]
    public async Task Interleaved_takes_returns_and_heartbeats_on_three_nodes_keep_every_call_counted_and_all_rows_within_the_limit()
    {
        const int Limit = 40;
        var key = UniqueKey();
        var nodes = Enumerable.Range(0, 3).Select(i => Node($"n{i}")).ToList();
        var random = new Random(20261125);
        var refused = 0;
        var heldHeadroom = false;
        async Task TakeOrCountRefusalAsync(ClusterSlots node)
        {
            if (!await node.TryTakeAsync(key, Limit))
            {
                Interlocked.Increment(ref refused);
            }
        }

        for (var step = 0; step < 150; step++)
        {
            // Rounds of concurrent takes and returns on random nodes, now and then a heartbeat: the rows must always
            // hold at least every running call (never under-count) and together no more than the limit.
            var round = Enumerable.Range(0, 4).Select(_ =>
            {
                var node = nodes[random.Next(nodes.Count)];
                return random.Next(10) switch
                {
                    < 5 => TakeOrCountRefusalAsync(node),
                    < 9 => node.ReturnAsync(key),
                    _ => node.RefreshAsync(),
                };
            }).ToList();
            await Task.WhenAll(round);

            var reserved = await ReservedAsync(key);
            var running = nodes.Sum(n => n.Running(key));
            Assert.InRange(running, 0, reserved);
            Assert.InRange(reserved, 0, Limit);
            heldHeadroom |= reserved > running;
        }

        Assert.True(heldHeadroom, "nodes held unused slots at some point");
        Assert.True(refused > 0, "the calls reached the limit at some point");
    }

    [Fact]
    public async Task A_node_with_headroom_serves_a_hundred_calls_with_a_fraction_of_the_storage_requests()
    {
        var key = UniqueKey();
        var probe = new TableRequestCounter();
        var node = Node("busy", Probed(probe));

        // Before reservations each take was a query and a transaction (200 requests) and each return an upsert (100).
        Assert.Equal(100, await TakeAsync(node, key, 1000, 100));
        var takeRequests = probe.Requests;
        Assert.InRange(await ReservedAsync(key), 100, 100 + SlotReservation.MaxHeadroom);

        for (var i = 0; i < 100; i++)
        {
            await node.ReturnAsync(key);
        }

        var returnRequests = probe.Requests - takeRequests;
        Assert.True(takeRequests < 40, $"100 takes sent {takeRequests} requests");
        Assert.True(returnRequests < 40, $"100 returns sent {returnRequests} requests");
        Assert.Equal(0, node.Running(key));
        Assert.Equal(0, await ReservedAsync(key)); // the last return (no call left, no headroom) gave everything back
    }

    [Fact]
    public async Task After_returns_and_one_refresh_the_row_holds_the_running_calls_and_another_node_gets_the_rest()
    {
        var key = UniqueKey();
        var a = Node("a");
        var b = Node("b");
        Assert.Equal(20, await TakeAsync(a, key, 1000, 20));
        for (var i = 0; i < 5; i++)
        {
            await a.ReturnAsync(key);
        }

        Assert.True(await ReservedAsync(key) > 15, "a keeps some unused slots for its next calls");

        _time.Advance(TimeSpan.FromSeconds(10));
        await a.RefreshAsync();

        Assert.Equal(15, a.Running(key));
        Assert.Equal(15, await ReservedAsync(key));

        // With a limit of 30 another node now gets exactly the 15 slots a is not using.
        Assert.Equal(15, await TakeAsync(b, key, 30, 16));
    }

    [Fact]
    public async Task Near_the_limit_no_headroom_is_reserved_so_a_second_node_gets_every_slot_the_first_is_not_using()
    {
        var key = UniqueKey();
        var a = Node("a");
        var b = Node("b");

        // a takes 25 of 30: its last reservation leaves fewer than MinRoom slots, so it reserves just its calls.
        Assert.Equal(25, await TakeAsync(a, key, 30, 25));
        Assert.Equal(25, await ReservedAsync(key));
        Assert.Equal(5, await TakeAsync(b, key, 30, 6));

        // A call ends on a: near the limit its slot goes back at once, not at the next heartbeat.
        await a.ReturnAsync(key);
        Assert.Equal(29, await ReservedAsync(key));
        Assert.True(await b.TryTakeAsync(key, 30));
        Assert.False(await a.TryTakeAsync(key, 30));
    }

    [Fact]
    public async Task An_idle_nodes_unused_slots_are_free_for_others_after_its_next_heartbeat()
    {
        var key = UniqueKey();
        var a = Node("a");
        var b = Node("b");
        Assert.Equal(13, await TakeAsync(a, key, 30, 13));
        var held = await ReservedAsync(key);
        Assert.True(held > 13, "a reserved headroom while the room was large");

        // b is refused while a holds slots it does not use — for at most one heartbeat of a.
        Assert.Equal(30 - held, await TakeAsync(b, key, 30, 30));
        await a.RefreshAsync();
        Assert.Equal(held - 13, await TakeAsync(b, key, 30, 30));
        Assert.Equal(17, b.Running(key));
    }

    [Fact]
    public async Task Reserved_slots_are_not_used_under_a_lowered_limit_nor_once_the_row_may_have_expired()
    {
        var key = UniqueKey();
        var a = Node("a");
        var b = Node("b");
        Assert.Equal(3, await TakeAsync(a, key, 100, 3));
        Assert.Equal(2, await TakeAsync(b, key, 100, 2));
        Assert.True(await ReservedAsync(key) > 5);

        // The operator lowers the limit to 5: a's unused slots would make 6 running calls; storage says no.
        Assert.False(await a.TryTakeAsync(key, 5));
        Assert.Equal(3, a.Running(key));

        // a stops heartbeating: past the expiry its row no longer counts, so b may fill the limit; a must not use its old reservation.
        var lone = UniqueKey();
        Assert.Equal(3, await TakeAsync(a, lone, 20, 3));
        _time.Advance(Expiry + TimeSpan.FromSeconds(1));
        Assert.Equal(20, await TakeAsync(b, lone, 20, 20));
        Assert.False(await a.TryTakeAsync(lone, 20));
    }

    [Fact]
    public async Task A_failed_reservation_write_admits_nothing_and_a_failed_give_back_only_over_counts_until_the_refresh()
    {
        var key = UniqueKey();
        var probe = new TableRequestCounter();
        var node = Node("flaky", Probed(probe));
        Assert.True(await node.TryTakeAsync(key, 5));

        probe.Failing = true;
        await Assert.ThrowsAsync<RequestFailedException>(() => node.TryTakeAsync(key, 5));
        Assert.Equal(1, node.Running(key));

        // The call ends while storage fails: the row still counts it (never fewer), until the next heartbeat writes.
        await node.ReturnAsync(key);
        Assert.Equal(1, await ReservedAsync(key));
        probe.Failing = false;
        await node.RefreshAsync();
        Assert.Equal(0, await ReservedAsync(key));
    }
}
