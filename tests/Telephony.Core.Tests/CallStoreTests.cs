using Azure;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Calls;
using Telephony.Core.Errors;
using Telephony.Core.Ids;

namespace Telephony.Core.Tests;

public sealed class CallStoreTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));

    private CallEventStore Events => new(fixture.Storage);

    private CallStore Store() => new(fixture.Storage, _time);

    private CallRecord NewCall(string account, string to = "+15550000001") =>
        CallCreateParser.Parse(Parameters.Of(("To", to), ("From", "+15559999999"), ("Url", "https://app.example/v")), account, _time.GetUtcNow());

    [Fact]
    public async Task A_batch_transaction_repeated_after_it_committed_is_not_an_error_but_a_clash_with_other_calls_is()
    {
        // What the SDK does when a transaction's answer is lost: it sends the same transaction again.
        var store = Store();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var batchSid = Sid.NewRandom(Telephony.Core.Batches.CallBatchRecord.SidPrefix);
        var chunk = Enumerable.Range(0, 3).Select(i => NewCall(account, $"+1555000000{i}") with { BatchSid = batchSid }).ToList();
        await store.CreateManyAsync(chunk);

        await store.CreateManyAsync(chunk);

        var listed = await store.ListAsync(account, new CallFilter(), 50, null);
        Assert.Equal(chunk.Select(c => c.Sid).Order(StringComparer.Ordinal), listed.Items.Select(c => c.Sid).Order(StringComparer.Ordinal));
        Assert.All(listed.Items, c => Assert.Equal(batchSid, c.BatchSid));

        // The same sids under another batch are a real conflict (never a silent success).
        var other = chunk.Select(c => c with { BatchSid = Sid.NewRandom(Telephony.Core.Batches.CallBatchRecord.SidPrefix) }).ToList();
        var clash = await Assert.ThrowsAnyAsync<RequestFailedException>(() => store.CreateManyAsync(other));
        Assert.Equal(409, clash.Status);
    }

    [Fact]
    public async Task A_created_call_is_read_back_by_sid_with_its_first_event()
    {
        var store = Store();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var created = await store.CreateAsync(NewCall(account));

        var read = await store.GetAsync(account, created.Sid);

        Assert.NotNull(read);
        Assert.Equal(created.Sid, read.Sid);
        Assert.Equal("https://app.example/v", read.Instructions.Url);
        Assert.Equal(created.DateCreated, read.DateCreated);
        Assert.Equal(["completed"], read.Instructions.StatusCallbackEvents);
        var events = await Events.ListAsync(account, created.Sid);
        Assert.Equal(CallEventTypes.Created, Assert.Single(events).Type);
        Assert.Null(await store.GetAsync(Sid.NewRandom(Sid.AccountPrefix), created.Sid));
    }

    [Fact]
    public async Task Lists_are_newest_first_and_page_without_gaps_or_repeats()
    {
        var store = Store();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var sids = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            sids.Add((await store.CreateAsync(NewCall(account))).Sid);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await store.CreateAsync(NewCall(Sid.NewRandom(Sid.AccountPrefix)));
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await store.ListAsync(account, new CallFilter(), 5, token);
            Assert.True(page.Items.Count is > 0 and <= 5);
            seen.AddRange(page.Items.Select(c => c.Sid));
            token = page.NextToken;
        }
        while (token is not null);

        sids.Reverse();
        Assert.Equal(sids, seen);
    }

    [Fact]
    public async Task Calls_created_seconds_apart_live_in_small_partitions_that_lists_events_time_filters_and_batch_counts_span()
    {
        var store = Store();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var batchSid = Sid.NewRandom(Telephony.Core.Batches.CallBatchRecord.SidPrefix);
        var calls = new List<CallRecord>();
        for (var i = 0; i < 6; i++)
        {
            calls.Add(NewCall(account, $"+1555000000{i}") with { BatchSid = batchSid });
            _time.Advance(TimeSpan.FromSeconds(2));
        }

        // One chunk over six buckets: a transaction per partition, as the batch loader sends them.
        await store.CreateManyAsync(calls);
        foreach (var call in calls.Take(4))
        {
            await store.UpdateAsync(account, call.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.Canceled, _time.GetUtcNow()));
        }

        var rows = new List<Azure.Data.Tables.TableEntity>();
        await foreach (var row in fixture.Storage.Table(Telephony.Core.Storage.TableNames.Calls).QueryAsync<Azure.Data.Tables.TableEntity>(
            Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey ge {account} and PartitionKey lt {account + "~~"}")))
        {
            rows.Add(row);
        }

        // Each call, its events and its batch counter share a partition of their own; none is the bare account.
        var partitions = rows.GroupBy(r => r.PartitionKey).ToList();
        Assert.Equal(6, partitions.Count);
        Assert.All(partitions, p => Assert.StartsWith(account + "~", p.Key, StringComparison.Ordinal));
        Assert.All(calls, c => Assert.Single(partitions, p => p.Any(r => r.RowKey == c.Sid)));

        var listed = await store.ListAsync(account, new CallFilter(), 50, null);
        Assert.Equal(calls.Select(c => c.Sid).Reverse(), listed.Items.Select(c => c.Sid));
        var page = await store.ListAsync(account, new CallFilter(), 2, null);
        var rest = await store.ListAsync(account, new CallFilter(), 50, page.NextToken);
        Assert.Equal(calls.Select(c => c.Sid).Reverse().Skip(2), rest.Items.Select(c => c.Sid));
        Assert.Equal(
            [CallEventTypes.Created, CallEventTypes.StatusChanged],
            (await Events.ListAsync(account, calls[0].Sid)).Select(e => e.Type));

        var batch = new Telephony.Core.Batches.CallBatchRecord
        {
            Sid = batchSid,
            AccountSid = account,
            CallCount = calls.Count,
            CountsKept = true,
            FirstCallSid = calls[^1].Sid,
            LastCallSid = calls[0].Sid,
            DateCreated = _time.GetUtcNow(),
            DateUpdated = _time.GetUtcNow(),
        };
        var queries = new Telephony.Core.Batches.BatchCallQueries(fixture.Storage);
        Assert.Equal(
            new Dictionary<CallStatus, int> { [CallStatus.Queued] = 2, [CallStatus.Canceled] = 4 }.OrderBy(c => c.Key),
            (await queries.CountersAsync(batch)).OrderBy(c => c.Key));
        Assert.Equal((await queries.CountAsync(batch)).OrderBy(c => c.Key), (await queries.CountersAsync(batch)).OrderBy(c => c.Key));
        Assert.Equal(calls.Skip(4).Select(c => c.Sid).Reverse(), (await queries.QueuedAsync(batch, 50, null)).Items);
    }

    [Fact]
    public async Task Filters_narrow_the_list()
    {
        var store = Store();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var early = await store.CreateAsync(NewCall(account, "+15550000001"));
        var late = await store.CreateAsync(NewCall(account, "+15550000002"));
        await store.CreateAsync(NewCall(account, "+15550000002"));
        var answeredAt = _time.GetUtcNow().AddMinutes(1);
        await store.UpdateAsync(account, early.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.InProgress, answeredAt));
        await store.UpdateAsync(account, late.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.InProgress, answeredAt.AddHours(2)));

        Assert.Equal(2, (await store.ListAsync(account, new CallFilter { To = "+15550000002" }, 50, null)).Items.Count);
        Assert.Equal(2, (await store.ListAsync(account, new CallFilter { Status = CallStatus.InProgress }, 50, null)).Items.Count);
        var before = await store.ListAsync(account, new CallFilter { StartedBefore = answeredAt.AddHours(1) }, 50, null);
        Assert.Equal(early.Sid, Assert.Single(before.Items).Sid);
        var after = await store.ListAsync(account, new CallFilter { StartedAtOrAfter = answeredAt.AddHours(1) }, 50, null);
        Assert.Equal(late.Sid, Assert.Single(after.Items).Sid);
    }

    [Fact]
    public async Task Concurrent_updates_of_one_call_all_land_with_gapless_event_sequence()
    {
        var store = Store();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var call = await store.CreateAsync(NewCall(account));
        const int writers = 12;

        // Each writer appends its own marker to SendDigits: a lost update would drop a marker.
        await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(() => store.UpdateAsync(
            account,
            call.Sid,
            c => new CallChange(c with { Options = c.Options with { SendDigits = (c.Options.SendDigits ?? string.Empty) + "w" } }, CallEventTypes.Updated, i.ToString(System.Globalization.CultureInfo.InvariantCulture))))));

        var final = await store.GetAsync(account, call.Sid);
        Assert.Equal(new string('w', writers), final!.Options.SendDigits);
        Assert.Equal(writers + 1, final.EventSequence);
        var events = await Events.ListAsync(account, call.Sid);
        Assert.Equal(Enumerable.Range(1, writers + 1).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(0, writers).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), events.Skip(1).Select(e => e.Detail!).Order());
    }

    [Fact]
    public async Task A_change_from_a_stale_held_record_is_reapplied_to_a_fresh_read_and_loses_nothing()
    {
        var store = Store();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var held = await store.CreateAsync(NewCall(account));
        await store.UpdateAsync(account, held.Sid, c => new CallChange(c with { Instructions = c.Instructions with { Url = "https://app.example/next" } }, CallEventTypes.Redirected, "https://app.example/next"));

        var moved = await store.UpdateAsync(held, c => CallTransitions.ChangeStatus(c, CallStatus.Ringing, _time.GetUtcNow()));

        Assert.Equal((CallStatus.Ringing, "https://app.example/next", 3L), (moved!.Status, moved.Instructions.Url, moved.EventSequence));
        var stored = (await store.GetAsync(account, held.Sid))!;
        Assert.Equal((moved.ETag, CallStatus.Ringing, "https://app.example/next"), (stored.ETag, stored.Status, stored.Instructions.Url));
        var history = await Events.ListAsync(account, held.Sid);
        Assert.Equal([CallEventTypes.Created, CallEventTypes.Redirected, CallEventTypes.StatusChanged], history.Select(e => e.Type));
        Assert.Equal([1L, 2L, 3L], history.Select(e => e.Sequence));

        // The record a write returns carries the new ETag: the next change from it needs no read and succeeds.
        var answered = await store.UpdateAsync(moved, c => CallTransitions.ChangeStatus(c, CallStatus.InProgress, _time.GetUtcNow()));
        Assert.Equal((CallStatus.InProgress, 4L), (answered!.Status, answered.EventSequence));
    }

    [Fact]
    public async Task Notes_are_stored_with_the_next_change_in_order_before_it_with_their_own_times_and_the_status_before_it()
    {
        var store = Store();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var ringing = (await store.UpdateAsync((await store.CreateAsync(NewCall(account)))!, c => CallTransitions.ChangeStatus(c, CallStatus.Ringing, _time.GetUtcNow())))!;
        var fetchedAt = _time.GetUtcNow();
        CallNote[] notes = [new("instructions-fetched", "initial POST https://app.example/v", fetchedAt), new("instructions-fetched", "redirect POST https://app.example/w", fetchedAt.AddMilliseconds(5))];
        _time.Advance(TimeSpan.FromSeconds(1));

        var answered = await store.UpdateAsync(account, ringing.Sid, ringing, notes, c => CallTransitions.ChangeStatus(c, CallStatus.InProgress, _time.GetUtcNow()));

        Assert.Equal((CallStatus.InProgress, 5L), (answered!.Status, answered.EventSequence));
        var history = await Events.ListAsync(account, ringing.Sid);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], history.Select(e => e.Sequence));
        Assert.Equal(
            [("instructions-fetched", CallStatus.Ringing, fetchedAt), ("instructions-fetched", CallStatus.Ringing, fetchedAt.AddMilliseconds(5)), (CallEventTypes.StatusChanged, CallStatus.InProgress, _time.GetUtcNow())],
            history.Skip(2).Select(e => (e.Type, e.Status, e.Timestamp)));
        Assert.Equal("redirect POST https://app.example/w", history[3].Detail);
        Assert.Equal(answered.ETag, (await store.GetAsync(account, ringing.Sid))!.ETag);
    }

    [Fact]
    public async Task Notes_without_a_change_are_stored_alone_and_from_a_stale_copy_once()
    {
        var store = Store();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var created = await store.CreateAsync(NewCall(account));
        var ringing = (await store.UpdateAsync(account, created.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.Ringing, _time.GetUtcNow())))!;

        // From the stale copy (queued, old ETag): re-applied to a fresh read, stored once, record otherwise untouched.
        var kept = await store.UpdateAsync(account, created.Sid, created, [new CallNote("instructions-fetched", "x", _time.GetUtcNow())], _ => null);

        var stored = (await store.GetAsync(account, created.Sid))!;
        Assert.Equal((CallStatus.Ringing, 3L, stored.ETag), (kept!.Status, kept.EventSequence, kept.ETag));
        Assert.Equal((ringing.Status, ringing.To, ringing.Instructions.Url, 3L), (stored.Status, stored.To, stored.Instructions.Url, stored.EventSequence));
        var history = await Events.ListAsync(account, created.Sid);
        Assert.Equal([CallEventTypes.Created, CallEventTypes.StatusChanged, "instructions-fetched"], history.Select(e => e.Type));
        Assert.Equal(CallStatus.Ringing, history[2].Status);

        // Nothing to do and nothing noted: no write at all.
        Assert.Equal(stored.ETag, (await store.UpdateAsync(account, created.Sid, stored, [], _ => null))!.ETag);
        Assert.Equal(3, (await Events.ListAsync(account, created.Sid)).Count);
    }

    [Fact]
    public async Task Nothing_to_do_on_a_held_record_is_decided_on_a_fresh_read()
    {
        var store = Store();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var held = await store.CreateAsync(NewCall(account));
        await store.UpdateAsync(account, held.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.Ringing, _time.GetUtcNow()));

        // On the stale copy (queued) this change has nothing to do; on the stored record (ringing) it answers.
        var result = await store.UpdateAsync(held, c => c.Status == CallStatus.Ringing ? CallTransitions.ChangeStatus(c, CallStatus.InProgress, _time.GetUtcNow()) : null);

        Assert.Equal(CallStatus.InProgress, result!.Status);
        Assert.Equal(CallStatus.InProgress, (await store.GetAsync(account, held.Sid))!.Status);
    }

    [Fact]
    public async Task A_batch_created_call_gets_its_created_event_with_its_first_change_and_events_stay_out_of_lists()
    {
        var store = Store();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var batchSid = Sid.NewRandom(Telephony.Core.Batches.CallBatchRecord.SidPrefix);
        var chunk = Enumerable.Range(0, 2).Select(i => NewCall(account, $"+1555000000{i}") with { BatchSid = batchSid }).ToList();
        await store.CreateManyAsync(chunk);
        Assert.Empty(await Events.ListAsync(account, chunk[0].Sid));

        await store.UpdateAsync(account, chunk[0].Sid, c => CallTransitions.ChangeStatus(c, CallStatus.Ringing, _time.GetUtcNow()));
        await store.UpdateAsync(account, chunk[0].Sid, c => CallTransitions.ChangeStatus(c, CallStatus.InProgress, _time.GetUtcNow()));

        var history = await Events.ListAsync(account, chunk[0].Sid);
        Assert.Equal([1L, 2L, 3L], history.Select(e => e.Sequence));
        Assert.Equal([CallStatus.Queued, CallStatus.Ringing, CallStatus.InProgress], history.Select(e => e.Status));
        Assert.Equal(CallEventTypes.Created, history[0].Type);
        Assert.Empty(await Events.ListAsync(account, chunk[1].Sid));
        Assert.Equal(2, (await store.ListAsync(account, new CallFilter(), 50, null)).Items.Count);
        Assert.Equal(3, (await Events.GetAsync(account, chunk[0].Sid, 3))!.Sequence);
        Assert.Null(await Events.GetAsync(account, chunk[0].Sid, 4));
    }

    [Fact]
    public async Task Delete_honours_the_guard_and_reports_missing_calls()
    {
        var store = Store();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var call = await store.CreateAsync(NewCall(account));

        await Assert.ThrowsAsync<TwilioException>(() => store.DeleteAsync(account, call.Sid, _ => throw new TwilioException("live")));
        Assert.NotNull(await store.GetAsync(account, call.Sid));
        Assert.True(await store.DeleteAsync(account, call.Sid, _ => { }));
        Assert.Null(await store.GetAsync(account, call.Sid));
        Assert.False(await store.DeleteAsync(account, call.Sid, _ => { }));
    }
}
