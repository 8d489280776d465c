using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Callbacks;
using Telephony.Core.Ids;
using Telephony.Core.Recordings;

namespace Telephony.Core.Tests.Callbacks;

/// <summary>Recording callbacks: Twilio's parameters, their own ordered stream, and a sid announced before the audio is stored.</summary>
public sealed class RecordingStatusCallbacksTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_completed_callback_carries_twilios_recording_parameters_on_the_recordings_own_stream()
    {
        var report = new RecordingStatusReport("AC1", "CA1", "RE1", "https://api.example/2010-04-01/Accounts/AC1/Recordings/RE1", "RecordVerb",
            _time.GetUtcNow(), 1, 7);

        var message = RecordingStatusCallbacks.Create(report, "https://app.example/rec", "get", RecordingStatusCallbacks.Completed, 1, _time.GetUtcNow());

        Assert.Equal(("GET", "completed", 1, "recording-RE1"), (message.Method, message.Event, message.SequenceNumber, message.Stream));
        var p = message.Parameters.ToDictionary(k => k.Key, k => k.Value);
        Assert.Equal("completed", p["RecordingStatus"]);
        Assert.Equal("7", p["RecordingDuration"]);
        Assert.Equal("1", p["RecordingChannels"]);
        Assert.Equal("RecordVerb", p["RecordingSource"]);
        Assert.Equal("Mon, 01 Jun 2026 12:00:00 +0000", p["RecordingStartTime"]);
        Assert.Equal(report.RecordingUrl, p["RecordingUrl"]);
        Assert.DoesNotContain("RecordingDuration", RecordingStatusCallbacks.Parameters(report, RecordingStatusCallbacks.InProgress).Select(k => k.Key));
    }

    [Fact]
    public async Task Each_stream_of_a_call_advances_on_its_own()
    {
        var progress = new CallbackProgressStore(fixture.Storage);
        var call = Sid.NewTimeOrdered(Sid.CallPrefix, _time.GetUtcNow());
        var recording = CallbackMessage.RecordingStream("RE" + new string('0', 32));

        await progress.AdvanceAsync(call, recording, 2);

        Assert.Equal(0, await progress.NextAsync(call));
        Assert.Equal(2, await progress.NextAsync(call, recording));
        await progress.AdvanceAsync(call, 1);
        await progress.AdvanceAsync(call, recording, 1);
        Assert.Equal((1, 2), (await progress.NextAsync(call), await progress.NextAsync(call, recording)));
    }

    [Fact]
    public async Task A_recording_saved_under_an_announced_sid_keeps_it_and_a_malformed_one_is_refused()
    {
        var store = new RecordingStore(fixture.Storage, _time);
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var call = Sid.NewTimeOrdered(Sid.CallPrefix, _time.GetUtcNow());
        var announced = store.NewSid();

        var saved = await store.SaveAsync(account, call, "RecordVerb", new MemoryStream([1, 2]), TimeSpan.FromSeconds(1), _time.GetUtcNow(), recordingSid: announced);

        Assert.Equal(announced, saved.Sid);
        Assert.NotNull(await store.GetAsync(account, announced));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.SaveAsync(account, call, "RecordVerb", new MemoryStream([1]), TimeSpan.Zero, _time.GetUtcNow(), recordingSid: "RE../x"));
    }
}
