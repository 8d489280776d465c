using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Callbacks;
using Telephony.Core.Calls;
using Telephony.Core.Capacity;
using Telephony.Core.Ids;
using Telephony.Core.Messaging;
using Telephony.Core.Nodes;
using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.Core.Tests.Nodes;

/// <summary>
/// Dead-node finalization on the node lease: the reaper reads the global nodes table and the callbacks queue,
/// so each test class instance has a private Azurite. Time is a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class DeadNodeReaperTests : IAsyncLifetime
{
    private static readonly TimeSpan Expiry = TimeSpan.FromSeconds(45);
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

    private CallStore Calls() => new(_storage, _time);

    private DeadNodeReaper Reaper() => new(
        new NodeStore(_storage),
        new NodeCallFinalizer(new NodeCallIndex(_storage, _time, NullLogger<NodeCallIndex>.Instance), Calls(), NullLogger<NodeCallFinalizer>.Instance),
        new CapacitySettings { HeartbeatExpiry = Expiry },
        _time,
        NullLogger<DeadNodeReaper>.Instance);

    [Fact]
    public async Task Calls_of_a_node_silent_past_the_lease_end_at_its_last_heartbeat_and_their_callbacks_are_queued()
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var started = _time.GetUtcNow();
        var answered = await RunningCallAsync(account, "n1", started, CallStatus.InProgress);
        var ringing = await RunningCallAsync(account, "n1", started, CallStatus.Ringing);
        _time.Advance(TimeSpan.FromSeconds(30));
        var lastHeartbeat = _time.GetUtcNow();
        await HeartbeatAsync("n1", started, lastHeartbeat);

        // Within the lease nothing happens, however often the reaper runs.
        _time.Advance(Expiry);
        Assert.Equal(0, await Reaper().ReapAsync());
        Assert.Equal(CallStatus.InProgress, (await Calls().GetAsync(account, answered))!.Status);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await Reaper().ReapAsync());

        var completed = (await Calls().GetAsync(account, answered))!;
        Assert.Equal(CallStatus.Completed, completed.Status);
        Assert.Equal(lastHeartbeat, completed.EndTime);
        Assert.Equal(30, completed.Duration);
        var failed = (await Calls().GetAsync(account, ringing))!;
        Assert.Equal(CallStatus.Failed, failed.Status);
        Assert.Equal(lastHeartbeat, failed.EndTime);
        Assert.Empty(await new NodeCallIndex(_storage, _time, NullLogger<NodeCallIndex>.Instance).ListAsync("n1"));

        var callbacks = await PeekCallbacksAsync();
        var completedCallback = Assert.Single(callbacks, m => m.CallSid == answered && m.Event == "completed");
        Assert.Equal("completed", completedCallback.Parameters.Single(p => p.Key == "CallStatus").Value);
        Assert.Equal("30", completedCallback.Parameters.Single(p => p.Key == "CallDuration").Value);
        Assert.Equal("failed", Assert.Single(callbacks, m => m.CallSid == ringing && m.Event == "completed").Parameters.Single(p => p.Key == "CallStatus").Value);
    }

    [Fact]
    public async Task A_node_killed_between_queuing_the_answered_callback_and_committing_the_answer_never_reports_it_and_completed_takes_its_place()
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var started = _time.GetUtcNow();
        var sid = await RunningCallAsync(account, "n6", started, CallStatus.Ringing);
        var held = (await Calls().GetAsync(account, sid))!;

        // The node's writer queues the "answered" callback, then dies before its transaction lands (its table
        // endpoint is a closed port, so the commit never happens).
        var dying = new CallStore(new StorageClients(AzuriteInstance.WithUnreachable(_azurite!.ConnectionString, "Table")), _time);
        await Assert.ThrowsAnyAsync<Exception>(() => dying.UpdateAsync(held, c => CallTransitions.ChangeStatus(c, CallStatus.InProgress, _time.GetUtcNow())));
        var orphan = Assert.Single(await PeekCallbacksAsync(), m => m.CallSid == sid);
        Assert.Equal(("answered", 0), (orphan.Event, orphan.SequenceNumber));
        Assert.Equal(CallStatus.Ringing, (await Calls().GetAsync(account, sid))!.Status);

        await HeartbeatAsync("n6", started, started);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Reaper().ReapAsync());

        // The reaper fails the unanswered call; its "completed" callback takes the sequence number the lost answer never got.
        var callbacks = (await PeekCallbacksAsync()).Where(m => m.CallSid == sid).ToList();
        Assert.Equal(["answered", "completed"], callbacks.Select(m => m.Event));
        Assert.Equal([0, 0], callbacks.Select(m => m.SequenceNumber));
        Assert.Equal("failed", callbacks[1].Parameters.Single(p => p.Key == "CallStatus").Value);
        var committed = new CommittedCallbacks(new CallEventStore(_storage), Calls());
        Assert.Equal(CallbackCommit.Never, await committed.CheckAsync(callbacks[0], CancellationToken.None));
        Assert.Equal(CallbackCommit.Committed, await committed.CheckAsync(callbacks[1], CancellationToken.None));
        var events = await new CallEventStore(_storage).ListAsync(account, sid);
        Assert.Equal(events.Select(e => e.Sequence), Enumerable.Range(1, events.Count).Select(n => (long)n));
        Assert.DoesNotContain(events, e => e.Status == CallStatus.InProgress);
    }

    [Fact]
    public async Task Concurrent_reapers_finalize_each_call_once()
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var started = _time.GetUtcNow();
        var sids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            sids.Add(await RunningCallAsync(account, "n2", started, CallStatus.InProgress));
        }

        await HeartbeatAsync("n2", started, started);
        _time.Advance(TimeSpan.FromMinutes(2));

        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Reaper().ReapAsync()));

        Assert.Equal(sids.Count, counts.Sum());
        foreach (var sid in sids)
        {
            var events = await new CallEventStore(_storage).ListAsync(account, sid);
            Assert.Single(events, e => e.Status == CallStatus.Completed);
            Assert.Equal(events.Select(e => e.Sequence), Enumerable.Range(1, events.Count).Select(n => (long)n));
        }

        Assert.Equal(0, await Reaper().ReapAsync());
    }

    [Fact]
    public async Task A_restarted_node_keeps_its_new_calls_and_final_calls_stay_final()
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var firstStart = _time.GetUtcNow();
        var old = await RunningCallAsync(account, "n3", firstStart, CallStatus.InProgress);
        _time.Advance(TimeSpan.FromSeconds(5));
        var lastSeen = _time.GetUtcNow();

        // The process restarts with the same id: it takes a new call and heartbeats as a new process.
        _time.Advance(TimeSpan.FromSeconds(10));
        var secondStart = _time.GetUtcNow();
        var fresh = await RunningCallAsync(account, "n3", secondStart, CallStatus.InProgress);
        await HeartbeatAsync("n3", secondStart, secondStart);

        // The new process finalizes what its predecessor left, at the predecessor's last heartbeat.
        var finalizer = new NodeCallFinalizer(new NodeCallIndex(_storage, _time, NullLogger<NodeCallIndex>.Instance), Calls(), NullLogger<NodeCallFinalizer>.Instance);
        Assert.Equal(1, await finalizer.FinalizeAsync("n3", e => e.TakenByProcessStartedBefore(secondStart), lastSeen));
        Assert.Equal(lastSeen, (await Calls().GetAsync(account, old))!.EndTime);
        Assert.Equal(CallStatus.InProgress, (await Calls().GetAsync(account, fresh))!.Status);
        Assert.Equal([fresh], (await new NodeCallIndex(_storage, _time, NullLogger<NodeCallIndex>.Instance).ListAsync("n3")).Select(e => e.CallSid));

        // A stale "in-progress" from the old process can never revive the completed call.
        var stale = await Calls().UpdateAsync(account, old, c => CallStatuses.CanMove(c.Status, CallStatus.InProgress)
            ? CallTransitions.ChangeStatus(c, CallStatus.InProgress, _time.GetUtcNow()) : null);
        Assert.Equal(CallStatus.Completed, stale!.Status);

        // The new process dies too: the reaper ends only its call, at its own last heartbeat.
        _time.Advance(Expiry + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Reaper().ReapAsync());
        var ended = (await Calls().GetAsync(account, fresh))!;
        Assert.Equal(CallStatus.Completed, ended.Status);
        Assert.Equal(secondStart, ended.EndTime);
        Assert.Equal(lastSeen, (await Calls().GetAsync(account, old))!.EndTime);
    }

    [Fact]
    public async Task A_call_the_node_never_claimed_is_left_for_another_node()
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var started = _time.GetUtcNow();
        var queued = await Calls().CreateAsync(NewCall(account));
        await new NodeCallIndex(_storage, _time, NullLogger<NodeCallIndex>.Instance).AddAsync(new NodeCallEntry("n4", queued.Sid, account, started));
        await HeartbeatAsync("n4", started, started);
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(0, await Reaper().ReapAsync());

        var after = (await Calls().GetAsync(account, queued.Sid))!;
        Assert.Equal(CallStatus.Queued, after.Status);
        Assert.Null(after.NodeId);
        Assert.Empty(await new NodeCallIndex(_storage, _time, NullLogger<NodeCallIndex>.Instance).ListAsync("n4"));
    }

    [Fact]
    public void A_node_that_died_before_heartbeating_after_the_answer_never_ends_a_call_before_it_started()
    {
        var now = _time.GetUtcNow();
        var call = NewCall(Sid.NewRandom(Sid.AccountPrefix)) with { Sid = Sid.NewTimeOrdered(Sid.CallPrefix, now), Status = CallStatus.InProgress, StartTime = now, NodeId = "n5" };

        var change = NodeCallFinalizer.Finalize(call, "n5", now - TimeSpan.FromSeconds(3))!;

        Assert.Equal(now, change.Updated.EndTime);
        Assert.Equal(0, change.Updated.Duration);
        Assert.Null(NodeCallFinalizer.Finalize(call with { Status = CallStatus.Completed }, "n5", now));
        Assert.Null(NodeCallFinalizer.Finalize(call, "another-node", now));
    }

    private CallRecord NewCall(string account) => CallCreateParser.Parse(
        Parameters.Of(("To", "+15550000001"), ("From", "+15559999999"), ("Url", "https://app.example/v"),
            ("StatusCallback", "https://app.example/status"), ("StatusCallbackEvent", "answered"), ("StatusCallbackEvent", "completed")),
        account,
        _time.GetUtcNow());

    /// <summary>A call as a node process started at <paramref name="nodeStartedAt"/> runs it: indexed, claimed, moved to <paramref name="status"/>.</summary>
    private async Task<string> RunningCallAsync(string account, string nodeId, DateTimeOffset nodeStartedAt, CallStatus status)
    {
        var calls = Calls();
        var call = await calls.CreateAsync(NewCall(account));
        await new NodeCallIndex(_storage, _time, NullLogger<NodeCallIndex>.Instance).AddAsync(new NodeCallEntry(nodeId, call.Sid, account, nodeStartedAt));
        await calls.UpdateAsync(account, call.Sid, c => new CallChange(c with { NodeId = nodeId }, CallEventTypes.StatusChanged, "initiated"));
        await calls.UpdateAsync(account, call.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.Ringing, _time.GetUtcNow()));
        if (status == CallStatus.InProgress)
        {
            await calls.UpdateAsync(account, call.Sid, c => CallTransitions.ChangeStatus(c, CallStatus.InProgress, _time.GetUtcNow()));
        }

        return call.Sid;
    }

    private Task HeartbeatAsync(string nodeId, DateTimeOffset startedAt, DateTimeOffset at) => new NodeStore(_storage).UpsertAsync(new NodeRecord
    {
        Id = nodeId,
        Address = "udp:127.0.0.1:5080",
        Capacity = 10,
        ActiveCalls = 1,
        State = NodeState.Ready,
        StartedAt = startedAt,
        LastHeartbeat = at,
    });

    private async Task<List<CallbackMessage>> PeekCallbacksAsync()
    {
        QueueClient queue = _storage.Queue(QueueNames.Callbacks);
        var peeked = (await queue.PeekMessagesAsync(32)).Value;
        return [.. peeked.Select(m => MessageJson.Deserialize<CallbackMessage>(m.Body.ToString()))];
    }
}
