namespace Telephony.MediaNode.Tests;

/// <summary>
/// A tenant app server that hangs or answers garbage, on the node path end to end (node → functions' instructions
/// endpoint → app): the FallbackUrl is asked next, and when it fails too the caller hears the application-error
/// message and the call completes — never a stuck call.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AppFailureTests(PlatformFixture platform)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_app_that_times_out_is_replaced_by_the_fallback_url_and_the_caller_hears_what_it_serves()
    {
        const string number = "+15550000501";
        var hang = platform.App.Hold("/voice/hangs");
        platform.App.Serve("/voice/fallback-tone", $"<Response><Play>{platform.App.Url("/tone.wav")}</Play></Response>");
        var arrived = platform.FarEnd.CallTo(number);

        // Twilio's connection overrides shorten the read timeout from 15 s to 1 s.
        var sid = await platform.CreateCallAsync(number, "/voice/hangs#rt=1000&tt=1500", ("FallbackUrl", platform.App.Url("/voice/fallback-tone")));
        var far = await arrived.WaitAsync(CallTimeout);
        await far.Call.Completion.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        var fallback = Assert.Single(platform.App.Requests, r => r.Path == "/voice/fallback-tone" && r.Parameters.GetValueOrDefault("CallSid") == sid);
        Assert.False(string.IsNullOrEmpty(fallback.Parameters.GetValueOrDefault("ErrorCode")), "the fallback request names the error");
        var audio = far.Recorder.Samples;
        var tone = AudioAnalysis.LoudBlocks(audio, 300).Count(i => AudioAnalysis.ToneShare(audio.AsSpan(i, 160), TenantAppServer.ToneHz) > 0.8);
        // Half of the 1 s tone shows the fallback played; a far end starved of CPU loses late packets and the tail in its jitter buffer at BYE.
        Assert.True(tone >= 25, $"expected at least 0.5 s of the fallback's tone, found {tone * 20} ms");
        hang.TrySetResult();
    }

    [Fact]
    public async Task Garbage_from_the_url_and_the_fallback_ends_in_the_application_error_message_and_a_completed_call()
    {
        const string number = "+15550000502";
        platform.App.Serve("/voice/garbage", "this is <not TwiML");
        platform.App.Serve("/voice/garbage-fallback", "<Response><Say>unclosed</Response>");
        var arrived = platform.FarEnd.CallTo(number);

        var sid = await platform.CreateCallAsync(number, "/voice/garbage", ("FallbackUrl", platform.App.Url("/voice/garbage-fallback")));
        var far = await arrived.WaitAsync(CallTimeout);
        await far.Call.Completion.WaitAsync(CallTimeout);
        var call = await platform.WaitForStatusAsync(sid, CallTimeout, "completed", "failed");

        Assert.Equal("completed", call.GetProperty("status").GetString());
        Assert.Single(platform.App.Requests, r => r.Path == "/voice/garbage-fallback" && r.Parameters.GetValueOrDefault("CallSid") == sid);

        // "We are sorry, an application error has occurred. Goodbye." is about 3 s of speech.
        var audio = far.Recorder.Samples;
        var speech = AudioAnalysis.LoudBlocks(audio, 300).Count();
        Assert.True(speech >= 50, $"expected at least 1 s of the application-error message, found {speech * 20} ms");
    }
}
