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
        var events = new CallEventStore(_storage);
        var store = new CallStore(_storage, events, _time);
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
    }

    [Fact]
    public async Task A_call_without_a_StatusCallback_queues_nothing()
    {
        var store = new CallStore(_storage, new CallEventStore(_storage), _time);
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
