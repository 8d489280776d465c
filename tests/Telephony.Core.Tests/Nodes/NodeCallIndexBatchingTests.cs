using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Nodes;
using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.Core.Tests.Nodes;

/// <summary>
/// The node call index's group commit on real Azurite: requests are counted in the table client's pipeline, and a
/// transaction can be held at the door so what is in flight is known without timing. Time is a
/// <see cref="FakeTimeProvider"/>, so removes go only when a test says (count, flush, or the delay advanced).
/// </summary>
public sealed class NodeCallIndexBatchingTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset StartedAt = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(StartedAt);
    private readonly TableRequestCounter _requests = new();
    private readonly string _node = "node-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Fifty_concurrent_adds_go_in_two_transactions_and_each_row_is_stored_when_its_add_returns()
    {
        var index = await IndexAsync();
        var others = _requests.Others;
        var release = _requests.HoldNextTransaction();

        var adds = new List<(string Sid, Task Added)>();
        for (var i = 0; i < 50; i++)
        {
            var sid = CallSid(i);
            adds.Add((sid, index.AddAsync(Entry(sid))));
        }

        // The first add went at once, alone (no waiting for company); the other 49 wait for it.
        await _requests.Held.WaitAsync(Timeout);
        Assert.Equal(1, _requests.Transactions);
        Assert.All(adds.Skip(1), a => Assert.False(a.Added.IsCompleted));
        release.SetResult();

        var table = fixture.Storage.Table(TableNames.NodeCalls);
        await Task.WhenAll(adds.Select(async a =>
        {
            await a.Added.WaitAsync(Timeout);
            var row = await table.GetEntityAsync<TableEntity>(_node, a.Sid);
            Assert.Equal("AC1", row.Value.GetString("AccountSid"));
        }));
        Assert.Equal(2, _requests.Transactions);
        Assert.Equal(others, _requests.Others);
        Assert.Equal(50, (await index.ListAsync(_node)).Count);
    }

    [Fact]
    public async Task Removes_of_many_calls_go_in_few_transactions_and_leave_no_rows_after_a_flush()
    {
        var index = await IndexAsync();
        var sids = Enumerable.Range(0, 120).Select(CallSid).ToList();
        await Task.WhenAll(sids.Select(sid => index.AddAsync(Entry(sid))));
        var before = _requests.Transactions;
        var others = _requests.Others;

        foreach (var sid in sids)
        {
            index.RemoveSoon(_node, sid);
        }

        await index.FlushAsync().WaitAsync(Timeout);

        Assert.Empty(await index.ListAsync(_node));

        // Sent each time 50 wait (at most twice for 120), the rest by the flush; never one delete per call.
        Assert.InRange(_requests.Transactions - before, 2, 3);
        Assert.Equal(others + 1, _requests.Others);
    }

    [Fact]
    public async Task A_few_removes_wait_for_the_delay_then_go_in_one_transaction()
    {
        var index = await IndexAsync();
        string[] sids = [CallSid(1), CallSid(2), CallSid(3)];
        await Task.WhenAll(sids.Select(sid => index.AddAsync(Entry(sid))));
        var before = _requests.Transactions;
        foreach (var sid in sids)
        {
            index.RemoveSoon(_node, sid);
        }

        _time.Advance(NodeCallBatcher.RemoveDelay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, (await index.ListAsync(_node)).Count);
        Assert.Equal(before, _requests.Transactions);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForRowsAsync(index, 0);
        Assert.Equal(before + 1, _requests.Transactions);
    }

    [Fact]
    public async Task An_add_after_a_waiting_remove_of_the_same_call_keeps_the_row()
    {
        var index = await IndexAsync();
        var sid = CallSid(7);
        await index.AddAsync(Entry(sid));
        index.RemoveSoon(_node, sid);

        await index.AddAsync(Entry(sid)).WaitAsync(Timeout);
        await index.FlushAsync().WaitAsync(Timeout);
        _time.Advance(NodeCallBatcher.RemoveDelay);

        Assert.Equal([sid], (await index.ListAsync(_node)).Select(e => e.CallSid));
    }

    [Fact]
    public async Task An_add_while_a_remove_of_the_same_call_is_in_flight_goes_after_it_and_keeps_the_row()
    {
        var index = await IndexAsync();
        var sid = CallSid(8);
        await index.AddAsync(Entry(sid));
        index.RemoveSoon(_node, sid);
        var release = _requests.HoldNextTransaction();
        var flushed = index.FlushAsync();
        await _requests.Held.WaitAsync(Timeout);

        var added = index.AddAsync(Entry(sid));
        Assert.False(added.IsCompleted);
        release.SetResult();
        await flushed.WaitAsync(Timeout);
        await added.WaitAsync(Timeout);

        Assert.Equal([sid], (await index.ListAsync(_node)).Select(e => e.CallSid));
    }

    [Fact]
    public async Task A_remove_of_a_call_whose_add_is_still_waiting_goes_in_a_later_transaction()
    {
        var index = await IndexAsync();
        var sid = CallSid(9);
        var release = _requests.HoldNextTransaction();
        var first = index.AddAsync(Entry(CallSid(1)));
        await _requests.Held.WaitAsync(Timeout);

        // Waiting behind the held transaction: the add, then the remove of the same row (one transaction could not hold both).
        var added = index.AddAsync(Entry(sid));
        index.RemoveSoon(_node, sid);
        var flushed = index.FlushAsync();
        release.SetResult();

        await Task.WhenAll(first, added, flushed).WaitAsync(Timeout);
        Assert.Equal([CallSid(1)], (await index.ListAsync(_node)).Select(e => e.CallSid));
        Assert.Equal(3, _requests.Transactions);
    }

    [Fact]
    public async Task A_remove_of_a_row_already_gone_does_not_fail_the_adds_or_removes_sent_with_it()
    {
        var index = await IndexAsync();
        string[] ended = [CallSid(1), CallSid(2), CallSid(3)];
        await Task.WhenAll(ended.Select(sid => index.AddAsync(Entry(sid))));

        // A reaper was first for one of them.
        await fixture.Storage.Table(TableNames.NodeCalls).DeleteEntityAsync(_node, ended[1], ETag.All);
        foreach (var sid in ended)
        {
            index.RemoveSoon(_node, sid);
        }

        var fresh = CallSid(4);
        await index.AddAsync(Entry(fresh)).WaitAsync(Timeout);

        Assert.Equal([fresh], (await index.ListAsync(_node)).Select(e => e.CallSid));
    }

    [Fact]
    public async Task Adds_waiting_while_storage_is_down_all_fail_and_the_index_works_again_once_it_is_back()
    {
        await using var azurite = await AzuriteInstance.StartPersistentAsync();
        var index = new NodeCallIndex(_requests.Storage(azurite.ConnectionString), _time, NullLogger<NodeCallIndex>.Instance);
        await index.AddAsync(Entry(CallSid(0)));
        index.RemoveSoon(_node, CallSid(0));
        await azurite.StopAsync();

        var adds = Enumerable.Range(1, 10).Select(i => index.AddAsync(Entry(CallSid(i)))).ToList();
        foreach (var add in adds)
        {
            var failure = await Assert.ThrowsAnyAsync<Exception>(() => add.WaitAsync(Timeout));
            Assert.True(StorageFaults.IsUnavailable(failure), failure.ToString());
        }

        await azurite.RestartAsync();
        await index.AddAsync(Entry(CallSid(11))).WaitAsync(Timeout);

        // The remove that failed with the adds went with this one.
        Assert.Equal([CallSid(11)], (await index.ListAsync(_node)).Select(e => e.CallSid));
    }

    /// <summary>An index on a counted client; the table exists first, so only the index's own writes are counted.</summary>
    private async Task<NodeCallIndex> IndexAsync()
    {
        var index = new NodeCallIndex(_requests.Storage(fixture.Storage.ConnectionString!), _time, NullLogger<NodeCallIndex>.Instance);
        await index.ListAsync(_node);
        return index;
    }

    private NodeCallEntry Entry(string sid) => new(_node, sid, "AC1", StartedAt);

    private static string CallSid(int n) => "CA" + n.ToString("D32", System.Globalization.CultureInfo.InvariantCulture);

    private async Task WaitForRowsAsync(NodeCallIndex index, int count)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while ((await index.ListAsync(_node, deadline.Token)).Count != count)
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
