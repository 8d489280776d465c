using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Telephony.Core.Webhooks;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// &lt;Dial record&gt; end to end: two real far ends send different tones through the node's bridge; the recording is the
/// parent call's, stored in Blob storage with its Recording resource, reported to the Dial action (RecordingUrl, Sid,
/// Duration) and to recordingStatusCallback through deliver-callbacks; the WAV fetched through the API holds both tones
/// (mixed into one channel, or one party per channel for -dual).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DialRecordTests(PlatformFixture platform)
{
    private const double CallerHz = 600;
    private const double CalleeHz = 1400;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Record_from_answer_mixes_both_parties_into_the_parent_calls_recording_reported_to_action_and_callback()
    {
        var (sid, action, callbacks) = await BridgeRecordedCallAsync("+15550002001", "+15550002002", "record-from-answer", "in-progress completed");
        await using var _ = callbacks;

        var (recordingSid, url, duration) = Recording(action);
        var resource = await ResourceAsync(recordingSid);
        Assert.Equal(sid, resource.GetProperty("call_sid").GetString());
        Assert.Equal("DialVerb", resource.GetProperty("source").GetString());
        Assert.Equal(1, resource.GetProperty("channels").GetInt32());
        Assert.Equal(duration.ToString(CultureInfo.InvariantCulture), resource.GetProperty("duration").GetString());

        var (channels, samples) = await FetchWavAsync(url);
        Assert.Equal(1, channels);
        Assert.InRange(samples[0].Length / 8000.0, duration - 1, duration + 1);
        // Both tones run the whole bridge; each must be clearly present in most of the mix (a starved machine drops some).
        Assert.True(ShareOfBlocksWith(samples[0], CallerHz) >= 0.5, $"caller's tone in {ShareOfBlocksWith(samples[0], CallerHz):P0} of the mix");
        Assert.True(ShareOfBlocksWith(samples[0], CalleeHz) >= 0.5, $"callee's tone in {ShareOfBlocksWith(samples[0], CalleeHz):P0} of the mix");

        var received = await callbacks.WaitForAsync("/recording-status", 2, CallTimeout);
        Assert.Equal(["in-progress", "completed"], received.Select(c => c["RecordingStatus"]));
        foreach (var callback in received)
        {
            Assert.True(RequestSignature.Validate(platform.AuthToken, callback.Signature, callback.Url, callback.Form), "callback signature");
            Assert.Equal((recordingSid, sid, url, "DialVerb", "1"),
                (callback["RecordingSid"], callback["CallSid"], callback["RecordingUrl"], callback["RecordingSource"], callback["RecordingChannels"]));
        }

        Assert.Equal(duration.ToString(CultureInfo.InvariantCulture), received[1]["RecordingDuration"]);
    }

    [Fact]
    public async Task Record_from_answer_dual_puts_the_caller_in_the_first_channel_and_the_callee_in_the_second()
    {
        var (sid, action, callbacks) = await BridgeRecordedCallAsync("+15550002003", "+15550002004", "record-from-answer-dual", "completed");
        await using var _ = callbacks;

        var (recordingSid, url, _) = Recording(action);
        var resource = await ResourceAsync(recordingSid);
        Assert.Equal((sid, 2), (resource.GetProperty("call_sid").GetString(), resource.GetProperty("channels").GetInt32()));

        var (channels, samples) = await FetchWavAsync(url);
        Assert.Equal(2, channels);
        Assert.True(ShareOfBlocksWith(samples[0], CallerHz) >= 0.5, $"caller's tone in {ShareOfBlocksWith(samples[0], CallerHz):P0} of channel 1");
        Assert.True(ShareOfBlocksWith(samples[1], CalleeHz) >= 0.5, $"callee's tone in {ShareOfBlocksWith(samples[1], CalleeHz):P0} of channel 2");
        Assert.True(ShareOfBlocksWith(samples[0], CalleeHz) < 0.05, "the callee is not in the caller's channel");
        Assert.True(ShareOfBlocksWith(samples[1], CallerHz) < 0.05, "the caller is not in the callee's channel");

        var completed = Assert.Single(await callbacks.WaitForAsync("/recording-status", 1, CallTimeout));
        Assert.Equal(("completed", "2"), (completed["RecordingStatus"], completed["RecordingChannels"]));
    }

    [Fact]
    public async Task Without_record_the_action_gets_no_recording_and_the_call_has_none()
    {
        var (sid, action, callbacks) = await BridgeRecordedCallAsync("+15550002005", "+15550002006", "do-not-record", "completed");
        await using var _ = callbacks;

        Assert.False(action.Parameters.ContainsKey("RecordingUrl"));
        Assert.False(action.Parameters.ContainsKey("RecordingSid"));
        var list = await PlatformFixture.JsonAsync(await platform.Api.GetAsync($"/2010-04-01/Accounts/{platform.AccountSid}/Calls/{sid}/Recordings.json"), 200);
        Assert.Empty(list.GetProperty("recordings").EnumerateArray());
    }

    /// <summary>
    /// An API call to <paramref name="caller"/> runs a recorded Dial to <paramref name="callee"/>; both far ends send their
    /// tone; once each has heard the other's for a second the callee hangs up. Returns the parent sid, the Dial action's
    /// request and the server receiving recordingStatusCallback.
    /// </summary>
    private async Task<(string Sid, AppRequest Action, LoopbackWebhookServer Callbacks)> BridgeRecordedCallAsync(
        string caller, string callee, string record, string events)
    {
        var callbacks = new LoopbackWebhookServer();
        callbacks.Map("/recording-status", _ => WebhookAnswer.Ok());
        var path = "/dial-record/" + caller.TrimStart('+');
        platform.FarEnd.SendTone(caller, CallerHz);
        platform.FarEnd.SendTone(callee, CalleeHz);
        platform.App.Serve(path, $"""
            <Response>
              <Dial record="{record}" action="{path}-done" recordingStatusCallback="{callbacks.Url("/recording-status")}"
                    recordingStatusCallbackEvent="{events}"><Number>{callee}</Number></Dial>
            </Response>
            """);
        platform.App.Serve(path + "-done", "<Response><Hangup/></Response>");
        var callerArrived = platform.FarEnd.CallTo(caller);
        var calleeArrived = platform.FarEnd.CallTo(callee);

        var sid = await platform.CreateCallAsync(caller, path);
        var callerLeg = await callerArrived.WaitAsync(CallTimeout);
        var calleeLeg = await calleeArrived.WaitAsync(CallTimeout);
        await Task.WhenAll(callerLeg.Recorder.HeardTone(CalleeHz, 50), calleeLeg.Recorder.HeardTone(CallerHz, 50)).WaitAsync(CallTimeout);

        calleeLeg.Call.Hangup();
        var action = await platform.App.NextRequest(path + "-done", CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");
        Assert.Equal(("completed", "true"), (action.Parameters["DialCallStatus"], action.Parameters["DialBridged"]));
        return (sid, action, callbacks);
    }

    private (string Sid, string Url, int Duration) Recording(AppRequest action)
    {
        var recordingSid = action.Parameters["RecordingSid"];
        var url = action.Parameters["RecordingUrl"];
        Assert.StartsWith("RE", recordingSid, StringComparison.Ordinal);
        Assert.Equal($"{platform.Api.BaseAddress!.ToString().TrimEnd('/')}/2010-04-01/Accounts/{platform.AccountSid}/Recordings/{recordingSid}", url);
        var duration = int.Parse(action.Parameters["RecordingDuration"], CultureInfo.InvariantCulture);
        Assert.True(duration >= 1, $"RecordingDuration {duration}: the parties heard each other for over a second");
        return (recordingSid, url, duration);
    }

    private async Task<JsonElement> ResourceAsync(string recordingSid) =>
        await PlatformFixture.JsonAsync(await platform.Api.GetAsync($"/2010-04-01/Accounts/{platform.AccountSid}/Recordings/{recordingSid}.json"), 200);

    /// <summary>The recording's WAV through the API: its channel count and each channel's 8 kHz PCM16 samples.</summary>
    private async Task<(int Channels, short[][] Samples)> FetchWavAsync(string url)
    {
        var wav = await platform.Api.GetByteArrayAsync(url + ".wav");
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(wav, 0, 4));
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(wav.AsSpan(22));
        Assert.Equal(8000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));
        var data = wav.AsSpan(44);
        var perChannel = data.Length / 2 / channels;
        var samples = Enumerable.Range(0, channels).Select(_ => new short[perChannel]).ToArray();
        for (var i = 0; i < perChannel * channels; i++)
        {
            samples[i % channels][i / channels] = BinaryPrimitives.ReadInt16LittleEndian(data[(i * 2)..]);
        }

        return (channels, samples);
    }

    /// <summary>Share of the 20 ms blocks (among those with any sound) where <paramref name="hz"/> carries at least a fifth of the power.</summary>
    private static double ShareOfBlocksWith(short[] samples, double hz)
    {
        var blocks = AudioAnalysis.LoudBlocks(samples, 100).ToList();
        return blocks.Count == 0 ? 0 : blocks.Count(i => AudioAnalysis.ToneShare(samples.AsSpan(i, 160), hz) >= 0.2) / (double)blocks.Count;
    }
}
