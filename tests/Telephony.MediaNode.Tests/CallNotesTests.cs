using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Calls;
using Telephony.Core.Ids;
using Telephony.Core.Storage;
using Telephony.MediaNode.Calls;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// Events the node notes for a call (an instruction fetch) go with the call's next write, or alone once they waited
/// <see cref="CallStatusWriter.NoteDelay"/>; real Azurite.
/// </summary>
public sealed class CallNotesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Fetched = "instructions-fetched";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_fetch_noted_before_the_answer_is_stored_with_it_in_order_and_nothing_is_left_to_flush()
    {
        var storage = new StorageClients(azurite.ConnectionString);
        var writer = Writer(storage);
        var call = await writer.CreateAsync(Ringing(), CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(30));

        writer.Note(call.AccountSid, call.Sid, Fetched, "initial POST https://app.example/voice -> twiml (2 verbs) in 12 ms");
        _time.Advance(TimeSpan.FromMilliseconds(5));
        var answered = await writer.MoveAsync(call.AccountSid, call.Sid, CallStatus.InProgress, CancellationToken.None);

        Assert.Equal((CallStatus.InProgress, 3L), (answered!.Status, answered.EventSequence));
        Assert.Equal(0, writer.CallsWithNotes);
        var events = await new CallEventStore(storage).ListAsync(call.AccountSid, call.Sid);
        Assert.Equal(
            [(CallEventTypes.Created, CallStatus.Ringing), (Fetched, CallStatus.Ringing), (CallEventTypes.StatusChanged, CallStatus.InProgress)],
            events.Select(e => (e.Type, e.Status)));
        Assert.True(events[1].Timestamp < events[2].Timestamp, "the note keeps the time of the fetch");
    }

    [Fact]
    public async Task A_note_no_write_takes_along_is_stored_alone_once_it_waited_and_the_record_keeps_its_state()
    {
        var storage = new StorageClients(azurite.ConnectionString);
        var writer = Writer(storage);
        var call = await writer.CreateAsync(Ringing(), CancellationToken.None);
        await writer.MoveAsync(call.AccountSid, call.Sid, CallStatus.InProgress, CancellationToken.None);
        writer.Note(call.AccountSid, call.Sid, Fetched, "action POST https://app.example/gather -> twiml (1 verbs) in 9 ms");

        await writer.FlushDueAsync(all: false, CancellationToken.None);
        Assert.Equal(2, (await new CallEventStore(storage).ListAsync(call.AccountSid, call.Sid)).Count);

        _time.Advance(CallStatusWriter.NoteDelay + TimeSpan.FromMilliseconds(1));
        await writer.FlushDueAsync(all: false, CancellationToken.None);

        Assert.Equal(0, writer.CallsWithNotes);
        var events = await new CallEventStore(storage).ListAsync(call.AccountSid, call.Sid);
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Sequence));
        Assert.Equal((Fetched, CallStatus.InProgress), (events[2].Type, events[2].Status));
        var stored = (await new CallStore(storage, _time).GetAsync(call.AccountSid, call.Sid))!;
        Assert.Equal((CallStatus.InProgress, 3L), (stored.Status, stored.EventSequence));

        // The copy the writer holds moved with that write: the hang-up needs no re-read and keeps the sequence gapless.
        var completed = await writer.MoveAsync(call.AccountSid, call.Sid, CallStatus.Completed, CancellationToken.None);
        Assert.Equal(4L, completed!.EventSequence);
    }

    [Fact]
    public async Task A_redirect_loop_is_flushed_without_waiting_and_a_stopping_node_writes_every_note()
    {
        var storage = new StorageClients(azurite.ConnectionString);
        var writer = Writer(storage);
        var looping = await writer.CreateAsync(Ringing(), CancellationToken.None);
        var quiet = await writer.CreateAsync(Ringing(), CancellationToken.None);
        for (var i = 0; i < CallStatusWriter.NotesFlushedAtOnce; i++)
        {
            writer.Note(looping.AccountSid, looping.Sid, Fetched, $"redirect POST https://app.example/r{i}");
        }

        writer.Note(quiet.AccountSid, quiet.Sid, Fetched, "initial POST https://app.example/voice");

        await writer.FlushDueAsync(all: false, CancellationToken.None);
        var events = new CallEventStore(storage);
        Assert.Equal(1 + CallStatusWriter.NotesFlushedAtOnce, (await events.ListAsync(looping.AccountSid, looping.Sid)).Count);
        Assert.Single(await events.ListAsync(quiet.AccountSid, quiet.Sid));

        await writer.FlushDueAsync(all: true, CancellationToken.None);
        Assert.Equal(2, (await events.ListAsync(quiet.AccountSid, quiet.Sid)).Count);
        Assert.Equal(0, writer.CallsWithNotes);
    }

    [Fact]
    public async Task Notes_a_failed_write_took_are_kept_for_the_next_flush()
    {
        var storage = new StorageClients(azurite.ConnectionString);
        var call = await Writer(storage).CreateAsync(Ringing(), CancellationToken.None);
        var cut = Writer(new StorageClients(AzuriteInstance.WithUnreachable(azurite.ConnectionString, "Table")));
        cut.Note(call.AccountSid, call.Sid, Fetched, "initial POST https://app.example/voice");
        _time.Advance(CallStatusWriter.NoteDelay + TimeSpan.FromMilliseconds(1));

        // The write fails and waits to retry on a clock that does not move; the node stopping ends the wait.
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await cut.FlushDueAsync(all: false, stopping.Token);

        Assert.Equal(1, cut.CallsWithNotes);
        Assert.Single(await new CallEventStore(storage).ListAsync(call.AccountSid, call.Sid));
    }

    private CallStatusWriter Writer(StorageClients storage) => new(new CallStore(storage, _time), _time, NullLogger<CallStatusWriter>.Instance);

    private CallRecord Ringing() => new()
    {
        Sid = Sid.NewTimeOrdered(Sid.CallPrefix, _time.GetUtcNow()),
        AccountSid = Sid.NewRandom(Sid.AccountPrefix),
        To = "+15550001111",
        From = "+15559990000",
        Direction = "inbound",
        Status = CallStatus.Ringing,
        DateCreated = _time.GetUtcNow(),
        DateUpdated = _time.GetUtcNow(),
    };
}
