namespace Telephony.MediaNode.Tests;

/// <summary>
/// While &lt;Dial&gt; rings, an answered caller hears ringback from the node: the ringTone's country tone, the US one
/// when it is absent. The callee here never answers, so everything the caller hears before the Dial timeout is ringback.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DialRingbackTests(PlatformFixture platform)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("+15550001301", "+15550001302", null, 440, 480, 400, 450)]
    [InlineData("+15550001303", "+15550001304", "uk", 400, 450, 440, 480)]
    public async Task The_caller_hears_the_ringTone_while_the_callee_rings(
        string caller, string callee, string? ringTone, double hz1, double hz2, double otherHz1, double otherHz2)
    {
        platform.FarEnd.Set(callee, FarEndBehavior.RingForever);
        var path = $"/dial/ringback-{caller.TrimStart('+')}";
        var attribute = ringTone is null ? string.Empty : $" ringTone=\"{ringTone}\"";
        platform.App.Serve(path, $"<Response><Dial timeout=\"3\"{attribute} action=\"{platform.App.Url(path + "-done")}\"><Number>{callee}</Number></Dial></Response>");
        platform.App.Serve(path + "-done", "<Response><Hangup/></Response>");
        var callerArrived = platform.FarEnd.CallTo(caller);

        var sid = await platform.CreateCallAsync(caller, path);
        var callerLeg = await callerArrived.WaitAsync(CallTimeout);
        var action = await platform.App.NextRequest(path + "-done", CallTimeout);
        await callerLeg.Call.Completion.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");
        Assert.Equal("no-answer", action.Parameters["DialCallStatus"]);

        // 100 ms blocks tell 400/450 Hz from 440/480 Hz (10 Hz resolution). Of the 0.8 s (uk) or 2 s (us) of ringing
        // before the timeout, half a second is enough: a CPU-starved far end loses some packets.
        var audio = callerLeg.Recorder.Samples;
        var ringing = Blocks(audio, 800).Count(block =>
            AudioAnalysis.Rms(block) > 300 &&
            AudioAnalysis.ToneShare(block, hz1) + AudioAnalysis.ToneShare(block, hz2) > 0.8 &&
            AudioAnalysis.ToneShare(block, otherHz1) + AudioAnalysis.ToneShare(block, otherHz2) < 0.3);
        Assert.True(ringing >= 5, $"expected at least 0.5 s of {hz1} + {hz2} Hz ringback, found {ringing * 100} ms");
    }

    private static IEnumerable<short[]> Blocks(short[] samples, int size)
    {
        for (var i = 0; i + size <= samples.Length; i += size)
        {
            yield return samples[i..(i + size)];
        }
    }
}
