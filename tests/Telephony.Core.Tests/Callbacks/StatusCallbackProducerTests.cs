using Azure.Storage.Queues;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Callbacks;
using Telephony.Core.Calls;
using Telephony.Core.Ids;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.Core.Tests.Callbacks;

/// <summary>
/// Status changes written through <see cref="CallStore"/> queue exactly the requested callbacks. A private Azurite:
/// the callbacks queue must hold only this class's messages (functions in local mode elsewhere would consume them).
/// </summary>
public sealed class StatusCallbackProducerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
    private AzuriteInstance? _azurite;
    private StorageClients _storage = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteInstance.StartAsync(useShared: false);
        _storage = new StorageClients(_azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    [Fact]
    public async Task Only_requested_events_are_queued_with_gapless_sequence_numbers_and_twilio_parameters()
    {
        var store = new CallStore(_storage, _time);
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var call = await store.CreateAsync(CallCreateParser.Parse(
            Parameters.Of(("To", "+15550000001"), ("From", "+15559999999"), ("Url", "https://app.example/v"),
                ("StatusCallback", "https://app.example/status"), ("StatusCallbackMethod", "GET"),
                ("StatusCallbackEvent", "initiated"), ("StatusCallbackEvent", "answered"), ("StatusCallbackEvent", "completed")),
            account,
            _time.GetUtcNow()));

        await store.UpdateAsync(account, call.Sid, c => new CallChange(c with { NodeId = "n1" }, CallEventTypes.StatusChanged, "initiated"));
        await store.UpdateAsync(account, call.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.Ringing, _time.GetUtcNow()));
        await store.UpdateAsync(account, call.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.InProgress, _time.GetUtcNow()));
        await store.UpdateAsync(account, call.Sid, c => new CallChange(c, CallEventTypes.Redirected, "https://app.example/next"));
        _time.Advance(TimeSpan.FromSeconds(61));
        await store.UpdateAsync(account, call.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.Completed, _time.GetUtcNow()));

        var queued = await ReadAllAsync(_storage.Queue(QueueNames.Callbacks));
        Assert.Equal(["initiated", "answered", "completed"], queued.Select(m => m.Event));
        Assert.Equal([0, 1, 2], queued.Select(m => m.SequenceNumber));
        Assert.All(queued, m => Assert.Equal("GET", m.Method));
        Assert.All(queued, m => Assert.Equal("https://app.example/status", m.Url));
        var completed = queued[2].Parameters.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("completed", completed["CallStatus"]);
        Assert.Equal("61", completed["CallDuration"]);
        Assert.Equal("2", completed["Duration"]);
        Assert.Equal("2", completed["SequenceNumber"]);
        Assert.Equal("call-progress-events", completed["CallbackSource"]);
        Assert.Equal("Fri, 01 May 2026 09:01:01 +0000", completed["Timestamp"]);
        Assert.Equal("initiated", queued[0].Parameters.Single(p => p.Key == "CallStatus").Value);

        // Each message names the event it reports, and that event was committed naming it back.
        var committed = new CommittedCallbacks(new CallEventStore(_storage), store);
        Assert.Equal([2L, 4L, 6L], queued.Select(m => m.EventSequence!.Value));
        foreach (var message in queued)
        {
            Assert.Equal(CallbackCommit.Committed, await committed.CheckAsync(message, CancellationToken.None));
        }

        Assert.Equal(CallbackCommit.Never, await committed.CheckAsync(queued[0] with { CallbackId = "another-writer" }, CancellationToken.None));
        Assert.Equal(CallbackCommit.Pending, await committed.CheckAsync(queued[2] with { EventSequence = 7 }, CancellationToken.None));
        Assert.Equal(3, (await store.GetAsync(account, call.Sid))!.StatusCallbacksQueued);
    }

    [Fact]
    public async Task A_change_whose_callback_cannot_be_queued_is_not_committed()
    {
        // A writer whose queue is unreachable (its storage account's queue endpoint points at a closed port).
        var noQueue = new StorageClients(AzuriteInstance.WithUnreachable(_azurite!.ConnectionString, "Queue"));
        var store = new CallStore(_storage, _time);
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var call = await store.CreateAsync(CallCreateParser.Parse(
            Parameters.Of(("To", "+15550000001"), ("From", "+15559999999"), ("Url", "https://app.example/v"),
                ("StatusCallback", "https://app.example/status"), ("StatusCallbackEvent", "ringing")),
            account,
            _time.GetUtcNow()));

        await Assert.ThrowsAnyAsync<Exception>(() => new CallStore(noQueue, _time).UpdateAsync(call, c => CallTransitions.ChangeStatus(c, CallStatus.Ringing, _time.GetUtcNow())));

        var stored = (await store.GetAsync(account, call.Sid))!;
        Assert.Equal((CallStatus.Queued, 1L, 0), (stored.Status, stored.EventSequence, stored.StatusCallbacksQueued));
        Assert.Single(await new CallEventStore(_storage).ListAsync(account, call.Sid));

        // A change that queues nothing never touches the queue, so the same writer still commits it.
        await new CallStore(noQueue, _time).UpdateAsync(call, c => new CallChange(c, CallEventTypes.Updated, "no callback"));
        Assert.Equal(2L, (await store.GetAsync(account, call.Sid))!.EventSequence);
    }

    [Fact]
    public async Task A_call_without_a_StatusCallback_queues_nothing()
    {
        var store = new CallStore(_storage, _time);
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var call = await store.CreateAsync(CallCreateParser.Parse(
            Parameters.Of(("To", "+15550000001"), ("From", "+15559999999"), ("Url", "https://app.example/v"), ("StatusCallbackEvent", "ringing")),
            account,
            _time.GetUtcNow()));

        await store.UpdateAsync(account, call.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.Ringing, _time.GetUtcNow()));
        await store.UpdateAsync(account, call.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.Canceled, _time.GetUtcNow()));

        var queue = _storage.Queue(QueueNames.Callbacks);
        Assert.DoesNotContain(await ReadAllAsync(queue), m => m.CallSid == call.Sid);
    }

    [Fact]
    public async Task Progress_only_moves_forward_even_when_writers_race()
    {
        var progress = new CallbackProgressStore(_storage);
        var callSid = Sid.NewRandom(Sid.CallPrefix);
        Assert.Equal(0, await progress.NextAsync(callSid));

        await Task.WhenAll(Enumerable.Range(1, 8).Select(n => progress.AdvanceAsync(callSid, n)));
        await progress.AdvanceAsync(callSid, 3);

        Assert.Equal(8, await progress.NextAsync(callSid));
    }

    private static async Task<List<CallbackMessage>> ReadAllAsync(QueueClient queue)
    {
        if (!await queue.ExistsAsync())
        {
            return [];
        }

        var peeked = (await queue.PeekMessagesAsync(32)).Value;
        return [.. peeked.Select(m => MessageJson.Deserialize<CallbackMessage>(m.Body.ToString()))];
    }
}
