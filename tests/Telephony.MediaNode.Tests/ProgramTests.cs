namespace Telephony.MediaNode.Tests;

/// <summary>Call programs that react to the far end and to the API while the call runs.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ProgramTests(PlatformFixture platform)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Gather_collects_digits_the_far_end_sends_over_the_prompt_and_posts_them_to_the_action()
    {
        const string number = "+15550000010";
        platform.App.Serve("/voice/gather", $"""
            <Response>
              <Gather numDigits="3" timeout="10" action="/gathered">
                <Play loop="10">{platform.App.Url("/tone.wav")}</Play>
              </Gather>
              <Say>No input.</Say>
            </Response>
            """);
        platform.App.Serve("/gathered", "<Response><Hangup/></Response>");
        var arrived = platform.FarEnd.CallTo(number);
        var gathered = new TaskCompletionSource<AppRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        platform.App.RequestReceived += r =>
        {
            if (r.Path == "/gathered" && r.Parameters.GetValueOrDefault("To") == number)
            {
                gathered.TrySetResult(r);
            }
        };

        var sid = await platform.CreateCallAsync(number, "/voice/gather");
        var far = await arrived.WaitAsync(CallTimeout);
        // Press keys once the prompt is heard (barge-in: the prompt is still playing).
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        far.Recorder.LoudFrame += () => heard.TrySetResult();
        await heard.Task.WaitAsync(CallTimeout);
        far.Call.SendDtmf("123");

        var action = await gathered.Task.WaitAsync(CallTimeout);
        var call = await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        Assert.Equal("123", action.Parameters["Digits"]);
        Assert.Equal(sid, action.Parameters["CallSid"]);
        Assert.Equal("completed", call.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_looping_Play_fetches_its_url_once_per_call_and_plays_every_repetition()
    {
        const string number = "+15550000013";
        // The tone has no cache headers, so the media layer revalidates it at the app on every request it gets.
        var tone = platform.App.Url("/tone.wav") + "?case=play-loop";
        platform.App.Serve("/voice/play-loop", $"<Response><Play loop=\"3\">{tone}</Play><Hangup/></Response>");
        var arrived = platform.FarEnd.CallTo(number);

        var sid = await platform.CreateCallAsync(number, "/voice/play-loop");
        var far = await arrived.WaitAsync(CallTimeout);
        await far.Call.Completion.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        Assert.Single(platform.App.Requests, r => r.Path == "/tone.wav" && r.Parameters.GetValueOrDefault("case") == "play-loop");
        var audio = far.Recorder.Samples;
        var heard = AudioAnalysis.LoudBlocks(audio, 300).Count(i => AudioAnalysis.ToneShare(audio.AsSpan(i, 160), TenantAppServer.ToneHz) > 0.8);
        // Three 1 s repetitions are 150 frames; more than two seconds of them shows the repetitions played (a far end
        // starved of CPU loses some late packets).
        Assert.True(heard > 100, $"expected most of 3 s of tone, found {heard * 20} ms");
    }

    [Fact]
    public async Task A_live_redirect_through_the_API_replaces_a_long_Pause()
    {
        const string number = "+15550000011";
        platform.App.Serve("/voice/long-pause", "<Response><Pause length=\"60\"/></Response>");
        platform.App.Serve("/voice/redirected", "<Response><Hangup/></Response>");
        var paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var redirected = new TaskCompletionSource<AppRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        platform.App.RequestReceived += r =>
        {
            if (r.Parameters.GetValueOrDefault("To") != number)
            {
                return;
            }

            if (r.Path == "/voice/long-pause")
            {
                paused.TrySetResult();
            }
            else if (r.Path == "/voice/redirected")
            {
                redirected.TrySetResult(r);
            }
        };

        var sid = await platform.CreateCallAsync(number, "/voice/long-pause");
        await paused.Task.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "in-progress");
        var asked = TimeProvider.System.GetTimestamp();
        await platform.UpdateCallAsync(sid, ("Url", platform.App.Url("/voice/redirected")));
        var request = await redirected.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var latency = TimeProvider.System.GetElapsedTime(asked);
        var call = await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        Assert.Equal(sid, request.Parameters["CallSid"]);
        Assert.True(latency < TimeSpan.FromSeconds(5), $"the redirect took {latency.TotalMilliseconds:F0} ms");
        Assert.True(PlatformFixture.Int(call, "duration") < 30, "the 60 s pause was cut short");
    }

    [Fact]
    public async Task Hanging_up_through_the_API_ends_an_answered_call()
    {
        const string number = "+15550000012";
        platform.App.Serve("/voice/hold", "<Response><Pause length=\"60\"/></Response>");
        var arrived = platform.FarEnd.CallTo(number);
        var sid = await platform.CreateCallAsync(number, "/voice/hold");
        var far = await arrived.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "in-progress");

        await platform.UpdateCallAsync(sid, ("Status", "completed"));
        var end = await far.Call.Completion.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(Telephony.Sip.Calls.CallEndCause.RemoteHangup, end.Cause);
        Assert.Equal("completed", (await platform.GetCallAsync(sid)).GetProperty("status").GetString());
    }
}
