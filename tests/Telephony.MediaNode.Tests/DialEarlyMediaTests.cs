using System.Text.Json;
using Telephony.Sip.Calls;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// Early media through &lt;Dial&gt;: a callee's carrier answering the node's INVITE with 183 Session Progress and SDP, then
/// audio (announcements, its own ringback) before any answer. The caller hears it instead of the node's ringback — an
/// answered caller on its open stream, an unanswered (answerOnBridge) caller over a 183 of its own — until the leg
/// answers, fails, or another leg's early media takes over. Far ends are real SIP user agents sending tones.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DialEarlyMediaTests(PlatformFixture platform)
{
    private const double CallerHz = 600;
    private const double CalleeHz = 1400;
    private const double EarlyHz = 1800;
    private const double OtherEarlyHz = 2300;
    private const int ToneFrames = 25;
    private const int FrameSamples = 160;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_answered_caller_hears_the_callees_early_media_in_place_of_ringback_then_the_callee()
    {
        const string caller = "+15550001501";
        const string callee = "+15550001502";
        platform.FarEnd.SendTone(caller, CallerHz);
        platform.FarEnd.Set(callee, FarEndBehavior.RingForever);
        var done = ServeDial("/dial/early-answered", $"<Number>{callee}</Number>");
        var callerArrived = platform.FarEnd.CallTo(caller);
        var calleeArrived = platform.FarEnd.CallTo(callee);

        await platform.CreateCallAsync(caller, "/dial/early-answered");
        var callerLeg = await callerArrived.WaitAsync(CallTimeout);
        var calleeLeg = await calleeArrived.WaitAsync(CallTimeout);
        calleeLeg.SendEarlyMedia(EarlyHz);
        await callerLeg.Recorder.HeardTone(EarlyHz, ToneFrames).WaitAsync(CallTimeout);
        Assert.Equal(CallState.Early, calleeLeg.Call.State);

        calleeLeg.AnswerWithTone(CalleeHz);
        await Task.WhenAll(
            callerLeg.Recorder.HeardTone(CalleeHz, ToneFrames),
            calleeLeg.Recorder.HeardTone(CallerHz, ToneFrames)).WaitAsync(CallTimeout);

        // From the first frame of early media to the answer, the node's own ringback (440 + 480 Hz) stayed off.
        var heard = callerLeg.Recorder.Samples;
        var earlyStart = FirstFrame(heard, EarlyHz);
        var answerStart = FirstFrame(heard, CalleeHz);
        Assert.True(earlyStart >= 0 && answerStart > earlyStart, $"early media at frame {earlyStart}, the callee at {answerStart}");
        var ringback = Frames(heard, earlyStart, answerStart).Count(f => Loud(f) && AudioAnalysis.ToneShare(f, 440) + AudioAnalysis.ToneShare(f, 480) > 0.8);
        Assert.True(ringback <= 2, $"the caller heard {ringback} frames of the node's ringback during the callee's early media");

        calleeLeg.Call.Hangup();
        var action = await platform.App.NextRequest(done, CallTimeout);
        Assert.Equal("completed", action.Parameters["DialCallStatus"]);
        Assert.Equal("true", action.Parameters["DialBridged"]);
    }

    [Fact]
    public async Task Early_media_then_486_ends_the_Dial_busy_and_the_caller_stops_hearing_it()
    {
        const string caller = "+15550001503";
        const string callee = "+15550001504";
        platform.FarEnd.Set(callee, FarEndBehavior.RingForever);
        var done = ServeDial("/dial/early-busy", $"<Number>{callee}</Number>", after: "<Response><Pause length=\"2\"/><Hangup/></Response>");
        var callerArrived = platform.FarEnd.CallTo(caller);
        var calleeArrived = platform.FarEnd.CallTo(callee);

        var sid = await platform.CreateCallAsync(caller, "/dial/early-busy");
        var callerLeg = await callerArrived.WaitAsync(CallTimeout);
        var calleeLeg = await calleeArrived.WaitAsync(CallTimeout);
        calleeLeg.SendEarlyMedia(EarlyHz);
        await callerLeg.Recorder.HeardTone(EarlyHz, ToneFrames).WaitAsync(CallTimeout);

        var rejectedAt = callerLeg.Recorder.Samples.Length;
        calleeLeg.Call.Reject(486);
        var action = await platform.App.NextRequest(done, CallTimeout);
        await callerLeg.Call.Completion.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");
        Assert.Equal("busy", action.Parameters["DialCallStatus"]);
        Assert.Equal("false", action.Parameters["DialBridged"]);
        var child = Assert.Single(await ChildrenAsync(sid));
        await platform.WaitForStatusAsync(child.GetProperty("sid").GetString()!, CallTimeout, "busy");

        // 300 ms after the 486 (its trip, the far end's jitter buffer), through the action's 2 s Pause: no more early media.
        var heard = callerLeg.Recorder.Samples;
        var from = (rejectedAt / FrameSamples) + 15;
        var after = Frames(heard, from, heard.Length / FrameSamples).ToList();
        Assert.True(after.Count >= 50, $"only {after.Count} frames recorded after the 486");
        var early = after.Count(f => IsTone(f, EarlyHz));
        Assert.True(early <= 3, $"the caller still heard {early} frames of the callee's early media after its 486");
    }

    [Fact]
    public async Task An_answerOnBridge_caller_gets_183_and_hears_the_early_media_before_its_200()
    {
        const string number = "+15559991505";
        const string callee = "+15550001506";
        platform.FarEnd.Set(callee, FarEndBehavior.RingForever);
        var done = ServeDial("/dial/early-inbound", $"<Number>{callee}</Number>", attributes: " answerOnBridge=\"true\"");
        await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url("/dial/early-inbound")));
        var calleeArrived = platform.FarEnd.CallTo(callee);
        await using var phone = new Caller(rtpPortMin: 54000);

        var dialled = phone.Dial(platform.NodeSipUdpPort, number);
        dialled.Call.Media!.AudioSource = new ToneSource(CallerHz);
        var calleeLeg = await calleeArrived.WaitAsync(CallTimeout);
        calleeLeg.SendEarlyMedia(EarlyHz);
        await dialled.Recorder.HeardTone(EarlyHz, ToneFrames).WaitAsync(CallTimeout);

        // Heard over the caller's own early media stream: 183 with SDP, no 200 yet.
        Assert.Contains(183, dialled.Provisional);
        Assert.Equal(CallState.Early, dialled.Call.State);
        Assert.False(dialled.Call.WhenAnswered.IsCompleted);

        calleeLeg.AnswerWithTone(CalleeHz);
        await dialled.Call.WhenAnswered.WaitAsync(CallTimeout);
        await Task.WhenAll(
            dialled.Recorder.HeardTone(CalleeHz, ToneFrames),
            calleeLeg.Recorder.HeardTone(CallerHz, ToneFrames)).WaitAsync(CallTimeout);
        Assert.True(dialled.Call.AnsweredAt >= calleeLeg.Call.AnsweredAt, $"caller answered {dialled.Call.AnsweredAt:O}, callee {calleeLeg.Call.AnsweredAt:O}");

        dialled.Call.Hangup();
        var action = await platform.App.NextRequest(done, CallTimeout);
        Assert.Equal("completed", action.Parameters["DialCallStatus"]);
    }

    [Fact]
    public async Task An_explicit_ringTone_replaces_the_carriers_early_media_and_reaches_an_unanswered_caller_over_183()
    {
        const string number = "+15559991511";
        const string callee = "+15550001512";
        platform.FarEnd.Set(callee, FarEndBehavior.RingForever);
        var done = ServeDial("/dial/early-ringtone", $"<Number>{callee}</Number>", attributes: " answerOnBridge=\"true\" ringTone=\"uk\"", timeout: 3);
        await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url("/dial/early-ringtone")));
        var calleeArrived = platform.FarEnd.CallTo(callee);
        await using var phone = new Caller(rtpPortMin: 55000);

        var dialled = phone.Dial(platform.NodeSipUdpPort, number);
        var calleeLeg = await calleeArrived.WaitAsync(CallTimeout);
        calleeLeg.SendEarlyMedia(EarlyHz);
        var action = await platform.App.NextRequest(done, CallTimeout);
        var heard = dialled.Recorder.Samples;
        Assert.Equal("no-answer", action.Parameters["DialCallStatus"]);
        Assert.Contains(183, dialled.Provisional);

        // Until the Dial's timeout the unanswered caller heard the UK tone (400 + 450 Hz) over its 183, never the callee's 1,800 Hz.
        var uk = Blocks(heard).Count(b => AudioAnalysis.Rms(b) > 300 && AudioAnalysis.ToneShare(b, 400) + AudioAnalysis.ToneShare(b, 450) > 0.8);
        Assert.True(uk >= 5, $"expected at least 0.5 s of the UK ringback, found {uk * 100} ms");
        var early = Frames(heard, 0, heard.Length / FrameSamples).Count(f => IsTone(f, EarlyHz));
        Assert.True(early <= 2, $"the caller heard {early} frames of the callee's early media despite ringTone");
        await dialled.Call.Completion.WaitAsync(CallTimeout);
    }

    [Fact]
    public async Task With_parallel_legs_the_first_early_media_is_heard_until_its_leg_fails_then_the_next()
    {
        const string caller = "+15550001507";
        const string first = "+15550001508";
        const string second = "+15550001509";
        platform.FarEnd.SendTone(caller, CallerHz);
        platform.FarEnd.Set(first, FarEndBehavior.RingForever);
        platform.FarEnd.Set(second, FarEndBehavior.RingForever);
        var done = ServeDial("/dial/early-parallel", $"<Number>{first}</Number><Number>{second}</Number>");
        var callerArrived = platform.FarEnd.CallTo(caller);
        var firstArrived = platform.FarEnd.CallTo(first);
        var secondArrived = platform.FarEnd.CallTo(second);

        var sid = await platform.CreateCallAsync(caller, "/dial/early-parallel");
        var callerLeg = await callerArrived.WaitAsync(CallTimeout);
        var firstLeg = await firstArrived.WaitAsync(CallTimeout);
        var secondLeg = await secondArrived.WaitAsync(CallTimeout);
        firstLeg.SendEarlyMedia(EarlyHz);
        await callerLeg.Recorder.HeardTone(EarlyHz, ToneFrames).WaitAsync(CallTimeout);

        // The second leg's early media flows too (the node's stream to it runs for a second), yet the caller stays on the first's.
        secondLeg.SendEarlyMedia(OtherEarlyHz);
        await secondLeg.Recorder.Received(50).WaitAsync(CallTimeout);
        var firstFailedAt = callerLeg.Recorder.Samples.Length;
        firstLeg.Call.Reject(486);
        var beforeFailure = Frames(callerLeg.Recorder.Samples, 0, firstFailedAt / FrameSamples).ToList();
        var other = beforeFailure.Count(f => IsTone(f, OtherEarlyHz));
        Assert.True(other <= 2, $"the caller heard {other} frames of the second leg's early media while the first's was playing");

        // The first leg is busy: the second leg's early media is heard, then its answer wins.
        await callerLeg.Recorder.HeardTone(OtherEarlyHz, ToneFrames).WaitAsync(CallTimeout);
        secondLeg.AnswerWithTone(CalleeHz);
        await callerLeg.Recorder.HeardTone(CalleeHz, ToneFrames).WaitAsync(CallTimeout);
        secondLeg.Call.Hangup();
        var action = await platform.App.NextRequest(done, CallTimeout);
        Assert.Equal("completed", action.Parameters["DialCallStatus"]);
        var children = await ChildrenAsync(sid);
        var secondChild = Assert.Single(children, c => c.GetProperty("to").GetString() == second);
        Assert.Equal(secondChild.GetProperty("sid").GetString(), action.Parameters["DialCallSid"]);
        var firstChild = Assert.Single(children, c => c.GetProperty("to").GetString() == first);
        await platform.WaitForStatusAsync(firstChild.GetProperty("sid").GetString()!, CallTimeout, "busy");
    }

    [Fact]
    public async Task A_carriers_announcement_from_sipp_before_its_486_reaches_the_caller_transcoded()
    {
        const string caller = "+15550001510";
        var sippPort = FreePorts.Udp();
        var sipp = SippRunner.RunAsync(
            ["-sf", RepoPaths.Combine("tests", "Telephony.MediaNode.Tests", "Scenarios", "uas_early_media_busy.xml"), "-mi", "127.0.0.1", .. SippRunner.Common(sippPort)],
            TimeSpan.FromSeconds(60));
        var done = ServeDial("/dial/early-sipp", $"<Sip>sip:announcement@127.0.0.1:{sippPort}</Sip>");
        var callerArrived = platform.FarEnd.CallTo(caller);

        var sid = await platform.CreateCallAsync(caller, "/dial/early-sipp");
        var callerLeg = await callerArrived.WaitAsync(CallTimeout);
        var action = await platform.App.NextRequest(done, CallTimeout);
        var result = await sipp.WaitAsync(CallTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("busy", action.Parameters["DialCallStatus"]);
        await callerLeg.Call.Completion.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        // sipp's A-law speech reached the μ-law caller during the Dial: speech-level frames that are not the node's ringback.
        Assert.Equal("PCMU", callerLeg.Call.Audio!.Codec.EncodingName);
        var heard = callerLeg.Recorder.Samples;
        var speech = Frames(heard, 0, heard.Length / FrameSamples)
            .Count(f => Loud(f) && AudioAnalysis.ToneShare(f, 440) + AudioAnalysis.ToneShare(f, 480) < 0.5);
        Assert.True(speech >= 25, $"the caller heard {speech} frames of the announcement");
    }

    /// <summary>Serves a Dial of <paramref name="nouns"/> at <paramref name="path"/> and its action; returns the action's path.</summary>
    private string ServeDial(string path, string nouns, string attributes = "", string after = "<Response><Hangup/></Response>", int timeout = 30)
    {
        var done = path + "-done";
        platform.App.Serve(path, $"<Response><Dial timeout=\"{timeout}\"{attributes} action=\"{platform.App.Url(done)}\">{nouns}</Dial></Response>");
        platform.App.Serve(done, after);
        return done;
    }

    private static bool Loud(short[] frame) => AudioAnalysis.Rms(frame) > 300;

    private static bool IsTone(short[] frame, double hz) => Loud(frame) && AudioAnalysis.ToneShare(frame, hz) > 0.8;

    /// <summary>The index of the first 20 ms frame that is mostly <paramref name="hz"/>; -1 when none is.</summary>
    private static int FirstFrame(short[] samples, double hz)
    {
        var index = 0;
        foreach (var frame in Frames(samples, 0, samples.Length / FrameSamples))
        {
            if (IsTone(frame, hz))
            {
                return index;
            }

            index++;
        }

        return -1;
    }

    /// <summary>100 ms blocks: fine enough (10 Hz) to tell 400/450 Hz from 440/480 Hz.</summary>
    private static IEnumerable<short[]> Blocks(short[] samples)
    {
        for (var i = 0; i + 800 <= samples.Length; i += 800)
        {
            yield return samples[i..(i + 800)];
        }
    }

    private static IEnumerable<short[]> Frames(short[] samples, int fromFrame, int toFrame)
    {
        for (var i = Math.Max(fromFrame, 0); i < toFrame && (i + 1) * FrameSamples <= samples.Length; i++)
        {
            yield return samples[(i * FrameSamples)..((i + 1) * FrameSamples)];
        }
    }

    private async Task<List<JsonElement>> ChildrenAsync(string parentSid)
    {
        var response = await platform.Api.GetAsync($"/2010-04-01/Accounts/{platform.AccountSid}/Calls.json?ParentCallSid={parentSid}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("calls").EnumerateArray().Select(e => e.Clone())];
    }
}
