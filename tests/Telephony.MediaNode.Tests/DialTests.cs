using System.Text.Json;
using Telephony.Sip.Calls;
using Telephony.Sip.Sdp;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// &lt;Dial&gt; on the node as a B2BUA: an API call answered by a far end runs Dial, the node rings the callee over a
/// trunk or SIP URI and relays audio and digits between the two real far ends.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DialTests(PlatformFixture platform)
{
    private const double CallerHz = 600;
    private const double CalleeHz = 1400;
    private const int ToneFrames = 25;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Dial_Number_bridges_audio_both_ways_and_the_action_continues_after_the_callee_hangs_up()
    {
        const string caller = "+15550001001";
        const string callee = "+15550001002";
        platform.FarEnd.SendTone(caller, CallerHz);
        platform.FarEnd.SendTone(callee, CalleeHz);
        platform.App.Serve("/dial/number", $"""
            <Response>
              <Dial action="{platform.App.Url("/dial/number-done")}">
                <Number statusCallback="{platform.App.Url("/dial/number-status")}" statusCallbackEvent="initiated ringing answered completed">{callee}</Number>
              </Dial>
            </Response>
            """);
        platform.App.Serve("/dial/number-done", "<Response><Hangup/></Response>");
        platform.App.Serve("/dial/number-status", "<Response/>");
        var callerArrived = platform.FarEnd.CallTo(caller);
        var calleeArrived = platform.FarEnd.CallTo(callee);

        var sid = await platform.CreateCallAsync(caller, "/dial/number");
        var callerLeg = await callerArrived.WaitAsync(CallTimeout);
        var calleeLeg = await calleeArrived.WaitAsync(CallTimeout);
        await Task.WhenAll(
            callerLeg.Recorder.HeardTone(CalleeHz, ToneFrames),
            calleeLeg.Recorder.HeardTone(CallerHz, ToneFrames)).WaitAsync(CallTimeout);

        // The callee hangs up: the Dial ends and the program goes on at its action with the outcome.
        calleeLeg.Call.Hangup();
        var action = await platform.App.NextRequest("/dial/number-done", CallTimeout);
        await callerLeg.Call.Completion.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        Assert.Equal("completed", action.Parameters["DialCallStatus"]);
        Assert.Equal("true", action.Parameters["DialBridged"]);
        Assert.True(int.Parse(action.Parameters["DialCallDuration"], System.Globalization.CultureInfo.InvariantCulture) >= 0);
        var child = Assert.Single(await ChildrenAsync(sid));
        Assert.Equal(action.Parameters["DialCallSid"], child.GetProperty("sid").GetString());
        Assert.Equal("outbound-dial", child.GetProperty("direction").GetString());
        Assert.Equal(sid, child.GetProperty("parent_call_sid").GetString());
        Assert.Equal(callee, child.GetProperty("to").GetString());
        Assert.Equal("+15557654321", child.GetProperty("from").GetString());
        Assert.Equal(platform.AccountSid, child.GetProperty("account_sid").GetString());
        var final = await platform.WaitForStatusAsync(child.GetProperty("sid").GetString()!, CallTimeout, "completed");
        Assert.False(string.IsNullOrEmpty(final.GetProperty("start_time").GetString()));

        // The <Number statusCallback> got the child's progress, in order, each naming the parent.
        var completed = await platform.App.NextRequest("/dial/number-status", CallTimeout);
        await WaitForAsync(() => platform.App.Requests.Count(r => r.Path == "/dial/number-status") >= 4);
        var statuses = platform.App.Requests.Where(r => r.Path == "/dial/number-status").ToList();
        Assert.Equal(["initiated", "ringing", "in-progress", "completed"], statuses.Select(r => r.Parameters["CallStatus"]));
        Assert.All(statuses, r => Assert.Equal(sid, r.Parameters["ParentCallSid"]));
        Assert.All(statuses, r => Assert.Equal(child.GetProperty("sid").GetString(), r.Parameters["CallSid"]));
        Assert.Equal(completed.Parameters["CallSid"], child.GetProperty("sid").GetString());
    }

    [Fact]
    public async Task Dial_Sip_to_a_PCMA_callee_transcodes_between_the_PCMU_caller_and_it()
    {
        await using var pcmaPhone = new FarEnd([AudioCodec.Pcma]);
        const string caller = "+15550001003";
        platform.FarEnd.SendTone(caller, CallerHz);
        pcmaPhone.SendTone("bob", CalleeHz);
        platform.App.Serve("/dial/sip", $"<Response><Dial><Sip>sip:bob@127.0.0.1:{pcmaPhone.Port}</Sip></Dial></Response>");
        var callerArrived = platform.FarEnd.CallTo(caller);
        var calleeArrived = pcmaPhone.CallTo("bob");

        var sid = await platform.CreateCallAsync(caller, "/dial/sip");
        var callerLeg = await callerArrived.WaitAsync(CallTimeout);
        var calleeLeg = await calleeArrived.WaitAsync(CallTimeout);
        await Task.WhenAll(
            callerLeg.Recorder.HeardTone(CalleeHz, ToneFrames),
            calleeLeg.Recorder.HeardTone(CallerHz, ToneFrames)).WaitAsync(CallTimeout);

        Assert.Equal("PCMU", callerLeg.Call.Audio!.Codec.EncodingName);
        Assert.Equal("PCMA", calleeLeg.Call.Audio!.Codec.EncodingName);

        // Without an action the program continues after the Dial; here it ends, and so does the call.
        callerLeg.Call.Hangup();
        var calleeEnd = await calleeLeg.Call.Completion.WaitAsync(CallTimeout);
        Assert.Equal(CallEndCause.RemoteHangup, calleeEnd.Cause);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");
    }

    [Fact]
    public async Task Parallel_targets_ring_together_the_first_answer_wins_and_the_other_is_canceled()
    {
        const string caller = "+15550001011";
        const string slow = "+15550001012";
        const string fast = "+15550001013";
        platform.FarEnd.Set(slow, FarEndBehavior.RingForever);
        platform.App.Serve("/dial/parallel", $"""
            <Response><Dial timeout="30" action="{platform.App.Url("/dial/parallel-done")}"><Number>{slow}</Number><Number>{fast}</Number></Dial></Response>
            """);
        platform.App.Serve("/dial/parallel-done", "<Response><Hangup/></Response>");
        var callerArrived = platform.FarEnd.CallTo(caller);
        var slowArrived = platform.FarEnd.CallTo(slow);
        var fastArrived = platform.FarEnd.CallTo(fast);

        var sid = await platform.CreateCallAsync(caller, "/dial/parallel");
        await callerArrived.WaitAsync(CallTimeout);
        var slowLeg = await slowArrived.WaitAsync(CallTimeout);
        var fastLeg = await fastArrived.WaitAsync(CallTimeout);
        var slowEnd = await slowLeg.Call.Completion.WaitAsync(CallTimeout);
        Assert.Equal(CallEndCause.Canceled, slowEnd.Cause);
        Assert.Equal(CallState.Answered, fastLeg.Call.State);

        fastLeg.Call.Hangup();
        var action = await platform.App.NextRequest("/dial/parallel-done", CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        Assert.Equal("completed", action.Parameters["DialCallStatus"]);
        var children = await ChildrenAsync(sid);
        Assert.Equal(2, children.Count);
        var winner = children.Single(c => c.GetProperty("to").GetString() == fast);
        Assert.Equal(action.Parameters["DialCallSid"], winner.GetProperty("sid").GetString());
        var loser = children.Single(c => c.GetProperty("to").GetString() == slow);
        await platform.WaitForStatusAsync(loser.GetProperty("sid").GetString()!, CallTimeout, "canceled");
    }

    [Fact]
    public async Task A_busy_callee_gives_DialCallStatus_busy_at_the_action()
    {
        const string caller = "+15550001021";
        const string callee = "+15550001022";
        platform.FarEnd.Set(callee, FarEndBehavior.Busy);
        platform.App.Serve("/dial/busy", $"<Response><Dial action=\"{platform.App.Url("/dial/busy-done")}\">{callee}</Dial></Response>");
        platform.App.Serve("/dial/busy-done", "<Response><Hangup/></Response>");

        var sid = await platform.CreateCallAsync(caller, "/dial/busy");
        var action = await platform.App.NextRequest("/dial/busy-done", CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        Assert.Equal("busy", action.Parameters["DialCallStatus"]);
        Assert.Equal("false", action.Parameters["DialBridged"]);
        Assert.False(action.Parameters.ContainsKey("DialCallDuration"));
        var child = Assert.Single(await ChildrenAsync(sid));
        Assert.Equal(action.Parameters["DialCallSid"], child.GetProperty("sid").GetString());
        await platform.WaitForStatusAsync(action.Parameters["DialCallSid"], CallTimeout, "busy");
    }

    [Fact]
    public async Task A_callee_that_never_answers_is_canceled_after_the_Dial_timeout_and_the_status_is_no_answer()
    {
        const string caller = "+15550001031";
        const string callee = "+15550001032";
        platform.FarEnd.Set(callee, FarEndBehavior.RingForever);
        platform.App.Serve("/dial/no-answer", $"<Response><Dial timeout=\"5\" action=\"{platform.App.Url("/dial/no-answer-done")}\"><Number>{callee}</Number></Dial></Response>");
        platform.App.Serve("/dial/no-answer-done", "<Response><Hangup/></Response>");
        var calleeArrived = platform.FarEnd.CallTo(callee);

        var sid = await platform.CreateCallAsync(caller, "/dial/no-answer");
        var calleeLeg = await calleeArrived.WaitAsync(CallTimeout);
        var calleeEnd = await calleeLeg.Call.Completion.WaitAsync(CallTimeout);
        var action = await platform.App.NextRequest("/dial/no-answer-done", CallTimeout);

        Assert.Equal(CallEndCause.Canceled, calleeEnd.Cause);
        Assert.Equal("no-answer", action.Parameters["DialCallStatus"]);
        await platform.WaitForStatusAsync(action.Parameters["DialCallSid"], CallTimeout, "no-answer");
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");
    }

    [Fact]
    public async Task HangupOnStar_ends_the_callee_leg_and_the_caller_goes_on_to_the_action()
    {
        const string caller = "+15550001041";
        const string callee = "+15550001042";
        platform.FarEnd.SendTone(callee, CalleeHz);
        platform.App.Serve("/dial/star", $"<Response><Dial hangupOnStar=\"true\" action=\"{platform.App.Url("/dial/star-done")}\"><Number>{callee}</Number></Dial></Response>");
        platform.App.Serve("/dial/star-done", $"<Response><Play>{platform.App.Url("/tone.wav")}</Play><Hangup/></Response>");
        var callerArrived = platform.FarEnd.CallTo(caller);
        var calleeArrived = platform.FarEnd.CallTo(callee);

        var sid = await platform.CreateCallAsync(caller, "/dial/star");
        var callerLeg = await callerArrived.WaitAsync(CallTimeout);
        var calleeLeg = await calleeArrived.WaitAsync(CallTimeout);
        await callerLeg.Recorder.HeardTone(CalleeHz, ToneFrames).WaitAsync(CallTimeout);

        var afterAction = callerLeg.Recorder.HeardTone(TenantAppServer.ToneHz, ToneFrames);
        callerLeg.Call.SendDtmf("*");
        var calleeEnd = await calleeLeg.Call.Completion.WaitAsync(CallTimeout);
        var action = await platform.App.NextRequest("/dial/star-done", CallTimeout);

        // The callee was hung up on (BYE from the node), the caller stayed and heard the action's Play.
        Assert.Equal(CallEndCause.RemoteHangup, calleeEnd.Cause);
        Assert.Equal("completed", action.Parameters["DialCallStatus"]);
        await afterAction.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");
    }

    [Fact]
    public async Task An_inbound_call_dials_a_second_phone_with_answerOnBridge_and_is_answered_only_when_the_callee_answers()
    {
        const string number = "+15559991051";
        const string callee = "+15550001052";
        platform.FarEnd.SendTone(callee, CalleeHz);
        platform.App.Serve("/dial/inbound", $"""
            <Response><Dial answerOnBridge="true" action="{platform.App.Url("/dial/inbound-done")}"><Number>{callee}</Number></Dial></Response>
            """);
        platform.App.Serve("/dial/inbound-done", "<Response><Hangup/></Response>");
        await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url("/dial/inbound")));
        var calleeArrived = platform.FarEnd.CallTo(callee);
        await using var phone = new Caller(48500);

        var dialled = phone.Dial(platform.NodeSipUdpPort, number);
        dialled.Call.Media!.AudioSource = new ToneSource(CallerHz);
        var calleeLeg = await calleeArrived.WaitAsync(CallTimeout);
        await dialled.Call.WhenAnswered.WaitAsync(CallTimeout);
        await Task.WhenAll(
            dialled.Recorder.HeardTone(CalleeHz, ToneFrames),
            calleeLeg.Recorder.HeardTone(CallerHz, ToneFrames)).WaitAsync(CallTimeout);

        // answerOnBridge: the caller's 200 OK came only after the callee answered.
        Assert.True(dialled.Call.AnsweredAt >= calleeLeg.Call.AnsweredAt, $"caller answered {dialled.Call.AnsweredAt:O}, callee {calleeLeg.Call.AnsweredAt:O}");

        dialled.Call.Hangup();
        var calleeEnd = await calleeLeg.Call.Completion.WaitAsync(CallTimeout);
        var action = await platform.App.NextRequest("/dial/inbound-done", CallTimeout);
        Assert.Equal(CallEndCause.RemoteHangup, calleeEnd.Cause);
        Assert.Equal("completed", action.Parameters["DialCallStatus"]);
        var parentSid = action.Parameters["CallSid"];
        Assert.Equal("inbound", action.Parameters["Direction"]);
        var child = Assert.Single(await ChildrenAsync(parentSid));
        Assert.Equal(action.Parameters["DialCallSid"], child.GetProperty("sid").GetString());
        Assert.Equal("+15557770001", child.GetProperty("from").GetString());
        await platform.WaitForStatusAsync(parentSid, CallTimeout, "completed");
    }

    private async Task<List<JsonElement>> ChildrenAsync(string parentSid)
    {
        var response = await platform.Api.GetAsync($"/2010-04-01/Accounts/{platform.AccountSid}/Calls.json?ParentCallSid={parentSid}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("calls").EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>Waits for a condition the app server's request events make true (callbacks are delivered asynchronously).</summary>
    private async Task WaitForAsync(Func<bool> condition)
    {
        var changed = new SemaphoreSlim(0);
        void OnRequest(AppRequest _) => changed.Release();
        platform.App.RequestReceived += OnRequest;
        try
        {
            using var deadline = new CancellationTokenSource(CallTimeout);
            while (!condition())
            {
                await changed.WaitAsync(deadline.Token);
            }
        }
        finally
        {
            platform.App.RequestReceived -= OnRequest;
            changed.Dispose();
        }
    }
}
