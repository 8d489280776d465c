using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Core.Admission;
using Telephony.Core.Batches;
using Telephony.Core.Calls;
using Telephony.Core.Ids;
using Telephony.Core.Messaging;

namespace Telephony.Core.Tests.Batches;

/// <summary>Batch progress counters on Azurite: kept in step with every status write, under concurrent writers.</summary>
public sealed class BatchStatusCountersTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private const int Calls = 250;

    private CallStore CallStore() => new(fixture.Storage, TimeProvider.System);

    private CallBatchService Service() => new(
        new CallBatchStore(fixture.Storage),
        CallStore(),
        new BatchCallQueries(fixture.Storage),
        new AdmissionStore(fixture.Storage),
        new MessageQueue(fixture.Storage),
        TimeProvider.System,
        NullLogger<CallBatchService>.Instance);

    private static async IAsyncEnumerable<BatchRow> Rows(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            yield return new BatchRow(i, i + 1, Parameters.Of(("To", $"+1555{i:D7}"), ("From", "+15559999999"), ("Url", "https://app.example/v")));
        }

        await Task.CompletedTask;
    }

    [Fact]
    public async Task Concurrent_status_writes_and_cancels_racing_them_are_each_counted_once_and_fetch_agrees_with_a_recount()
    {
        var service = Service();
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var created = (await service.CreateAsync(account, Rows(Calls))).Batch!;
        Assert.Equal(Calls, created.Count(CallStatus.Queued));
        Assert.Equal(Calls, created.Batch.CallCount);
        Assert.True(created.Batch.CountsKept);

        var store = CallStore();
        var sids = (await new BatchCallQueries(fixture.Storage).QueuedAsync(created.Batch, 1000, null)).Items;
        Assert.Equal(Calls, sids.Count);

        // Eight "nodes" walk every call queued → ringing → in-progress → completed, two writers per call at once
        // (the second finds nothing to do, or loses the ETag race and re-reads); a canceler races every third call
        // while it is still queued. Each call ends either completed or canceled, never both.
        var lifecycle = new[] { CallStatus.Ringing, CallStatus.InProgress, CallStatus.Completed };
        var work = sids.SelectMany(sid => new[] { sid, sid }).Select((sid, i) => (sid, i)).ToList();
        await Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (item, ct) =>
            {
                var (sid, i) = item;
                if (i % 6 == 1)
                {
                    await store.UpdateAsync(account, sid, c => c.Status == CallStatus.Queued ? CallTransitions.ChangeStatus(c, CallStatus.Canceled, DateTimeOffset.UtcNow) : null, ct);
                    return;
                }

                foreach (var next in lifecycle)
                {
                    await store.UpdateAsync(
                        account, sid, c => c.Status < next && CallStatuses.CanMove(c.Status, next) ? CallTransitions.ChangeStatus(c, next, DateTimeOffset.UtcNow) : null, ct);
                }
            });

        var recount = await new BatchCallQueries(fixture.Storage).CountAsync(created.Batch);
        var fetched = await service.GetAsync(account, created.Batch.Sid);
        Assert.Equal(recount.OrderBy(c => c.Key), fetched.Counts.OrderBy(c => c.Key));
        Assert.Equal(Calls, fetched.Count(CallStatus.Completed) + fetched.Count(CallStatus.Canceled));
        Assert.InRange(fetched.Count(CallStatus.Canceled), 0, (Calls + 2) / 3);
        Assert.Equal("completed", fetched.Status);

        // The counter rows share the calls' partition but never show up as calls.
        var listed = await store.ListAsync(account, new CallFilter(), 1000, null);
        Assert.Equal(Calls, listed.Items.Count);
        Assert.All(listed.Items, c => Assert.Equal(created.Batch.Sid, c.BatchSid));
    }

    [Fact]
    public async Task A_batch_without_kept_counts_is_recounted_and_a_call_outside_any_batch_moves_no_counter()
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var service = Service();
        var batches = new CallBatchStore(fixture.Storage);
        var created = (await service.CreateAsync(account, Rows(3))).Batch!.Batch;

        // As a batch stored before the counters existed would read.
        await batches.UpdateAsync(account, created.Sid, b => b with { CountsKept = false });
        var store = CallStore();
        var first = (await new BatchCallQueries(fixture.Storage).QueuedAsync(created, 10, null)).Items[0];
        var moved = await store.UpdateAsync(account, first, c => CallTransitions.ChangeStatus(c, CallStatus.Canceled, DateTimeOffset.UtcNow));

        // The ETag handed back is the call's own from the transaction, good for the caller's next guarded write.
        Assert.Equal((await store.GetAsync(account, first))!.ETag, moved!.ETag);
        var loose = await store.CreateAsync(CallCreateParser.Parse(
            Parameters.Of(("To", "+15550000001"), ("From", "+15559999999"), ("Url", "https://app.example/v")), account, DateTimeOffset.UtcNow));
        await store.UpdateAsync(account, loose.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.Canceled, DateTimeOffset.UtcNow));

        var fetched = await service.GetAsync(account, created.Sid);
        Assert.Equal((2, 1), (fetched.Count(CallStatus.Queued), fetched.Count(CallStatus.Canceled)));
        var counters = await new BatchCallQueries(fixture.Storage).CountersAsync(created);
        Assert.Equal((2, 1), (counters.GetValueOrDefault(CallStatus.Queued), counters.GetValueOrDefault(CallStatus.Canceled)));
    }
}
