using Telephony.Sip.Calls;

namespace Telephony.MediaNode.Tests;

/// <summary>Outbound calls created through the REST API, placed by the node over a trunk and answered (or not) by a real far end.</summary>
[Collection(PlatformCollection.Name)]
public sealed class OutboundCallTests(PlatformFixture platform)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Say_then_Play_then_Hangup_is_heard_at_the_far_end_and_the_call_completes_with_a_duration()
    {
        const string number = "+15550000001";
        platform.App.Serve("/voice/say-play", $"""
            <Response>
              <Say>Hello from the media node. This is a test.</Say>
              <Play>{platform.App.Url("/tone.wav")}</Play>
              <Hangup/>
            </Response>
            """);
        var arrived = platform.FarEnd.CallTo(number);

        var created = System.Diagnostics.Stopwatch.StartNew();
        var sid = await platform.CreateCallAsync(number, "/voice/say-play");
        var far = await arrived.WaitAsync(CallTimeout);
        var untilInvite = created.ElapsedMilliseconds;
        var end = await far.Call.Completion.WaitAsync(CallTimeout);
        var call = await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        Assert.Equal(CallEndCause.RemoteHangup, end.Cause);

        // queue_time: milliseconds from creation until the node took the call (admission and a dispatch poll at least).
        var queueTime = long.Parse(call.GetProperty("queue_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(queueTime, 1, untilInvite + 1000);
        Assert.True(PlatformFixture.Int(call, "duration") >= 1, $"duration {call.GetProperty("duration")}");
        Assert.False(string.IsNullOrEmpty(call.GetProperty("start_time").GetString()));
        Assert.False(string.IsNullOrEmpty(call.GetProperty("end_time").GetString()));

        // Speech first, then the 1 kHz tone: find the tone and check there was speech-level audio before it.
        var audio = far.Recorder.Samples;
        var loud = AudioAnalysis.LoudBlocks(audio, 300).ToList();
        var toneBlocks = loud.Where(i => AudioAnalysis.ToneShare(audio.AsSpan(i, 160), TenantAppServer.ToneHz) > 0.8).ToList();
        // Half of the 1 s tone shows it played; a far end starved of CPU loses late packets and the tail in its jitter buffer at BYE.
        Assert.True(toneBlocks.Count >= 25, $"expected at least 0.5 s of the 1 kHz tone, found {toneBlocks.Count * 20} ms");
        var speechBlocks = loud.Where(i => i < toneBlocks[0] && AudioAnalysis.ToneShare(audio.AsSpan(i, 160), TenantAppServer.ToneHz) < 0.5).ToList();
        Assert.True(speechBlocks.Count >= 25, $"expected at least 0.5 s of speech before the tone, found {speechBlocks.Count * 20} ms");

        // The program came through the functions' instructions endpoint, which records each fetch on the call.
        var events = await new Telephony.Core.Calls.CallEventStore(platform.Storage).ListAsync(platform.AccountSid, sid);
        Assert.Contains(events, e => e.Type == "instructions-fetched");
        Assert.Equal(events.Select(e => e.Sequence), Enumerable.Range(1, events.Count).Select(i => (long)i));

        var first = platform.App.Requests.First(r => r.Path == "/voice/say-play");
        Assert.Equal(sid, first.Parameters["CallSid"]);
        Assert.Equal("in-progress", first.Parameters["CallStatus"]);
        Assert.Equal("outbound-api", first.Parameters["Direction"]);
    }

    [Fact]
    public async Task Inline_Twiml_given_at_create_runs_without_fetching_anything()
    {
        const string number = "+15550000005";
        var arrived = platform.FarEnd.CallTo(number);

        var sid = await platform.CreateCallAsync(number, null, ("Twiml", $"<Response><Play>{platform.App.Url("/tone.wav")}</Play></Response>"));
        var far = await arrived.WaitAsync(CallTimeout);
        await far.Call.Completion.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        var audio = far.Recorder.Samples;
        var tone = AudioAnalysis.LoudBlocks(audio, 300).Count(i => AudioAnalysis.ToneShare(audio.AsSpan(i, 160), TenantAppServer.ToneHz) > 0.8);
        // Half of the 1 s tone shows it played; a far end starved of CPU loses late packets and the tail in its jitter buffer at BYE.
        Assert.True(tone >= 25, $"expected at least 0.5 s of the tone, found {tone * 20} ms");
        Assert.DoesNotContain(platform.App.Requests, r => r.Parameters.GetValueOrDefault("CallSid") == sid);
    }

    [Fact]
    public async Task A_far_end_that_answers_486_makes_the_call_busy()
    {
        const string number = "+15550000002";
        platform.FarEnd.Set(number, FarEndBehavior.Busy);
        var sid = await platform.CreateCallAsync(number, "/voice/never-fetched");

        var call = await platform.WaitForStatusAsync(sid, CallTimeout, "busy", "completed", "failed", "no-answer");

        Assert.Equal("busy", call.GetProperty("status").GetString());
        Assert.Equal(0, PlatformFixture.Int(call, "duration"));
        Assert.DoesNotContain(platform.App.Requests, r => r.Path == "/voice/never-fetched");
    }

    [Fact]
    public async Task A_far_end_that_never_answers_is_canceled_after_Timeout_and_the_call_is_no_answer()
    {
        const string number = "+15550000003";
        platform.FarEnd.Set(number, FarEndBehavior.RingForever);
        var arrived = platform.FarEnd.CallTo(number);
        var sid = await platform.CreateCallAsync(number, "/voice/never-fetched", ("Timeout", "2"));

        var far = await arrived.WaitAsync(CallTimeout);
        var end = await far.Call.Completion.WaitAsync(CallTimeout);
        var call = await platform.WaitForStatusAsync(sid, CallTimeout, "no-answer", "busy", "completed", "failed", "canceled");

        Assert.Equal(CallEndCause.Canceled, end.Cause);
        Assert.Equal("no-answer", call.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Canceling_a_ringing_call_through_the_API_sends_CANCEL_to_the_far_end()
    {
        const string number = "+15550000004";
        platform.FarEnd.Set(number, FarEndBehavior.RingForever);
        var arrived = platform.FarEnd.CallTo(number);
        var sid = await platform.CreateCallAsync(number, "/voice/never-fetched", ("Timeout", "60"));

        var far = await arrived.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "ringing");
        await platform.UpdateCallAsync(sid, ("Status", "canceled"));
        var end = await far.Call.Completion.WaitAsync(TimeSpan.FromSeconds(15));
        var call = await platform.GetCallAsync(sid);

        Assert.Equal(CallEndCause.Canceled, end.Cause);
        Assert.Equal("canceled", call.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_trunk_answering_503_fails_over_to_the_next_trunk()
    {
        const string number = "+16660000001";
        platform.App.Serve("/voice/failover", "<Response><Hangup/></Response>");
        var onFailing = platform.FailingTrunk.CallTo(number);
        var onFar = platform.FarEnd.CallTo(number);

        var sid = await platform.CreateCallAsync(number, "/voice/failover");
        var rejected = await (await onFailing.WaitAsync(CallTimeout)).Call.Completion.WaitAsync(CallTimeout);
        await onFar.WaitAsync(CallTimeout);
        var call = await platform.WaitForStatusAsync(sid, CallTimeout, "completed", "failed");

        Assert.Equal(503, rejected.SipStatus);
        Assert.Equal("completed", call.GetProperty("status").GetString());
    }
}
