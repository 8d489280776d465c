using Microsoft.Extensions.DependencyInjection;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests;

/// <summary>Inbound calls and the node's call slots: a full node refuses with 503 + Retry-After and takes calls again once a slot is free.</summary>
[Collection(PlatformCollection.Name)]
public sealed class InboundCapacityTests(PlatformFixture platform)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_full_node_answers_503_with_Retry_After_answers_again_when_its_call_ends_and_a_draining_node_answers_503()
    {
        const string number = "+15559990010";
        platform.App.Serve("/inbound/small-node", "<Response><Pause length=\"60\"/></Response>");
        await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url("/inbound/small-node")));
        var (node, sipPort) = await platform.StartExtraNodeAsync("node-inbound-one-slot", maxCalls: 1, rtpPortMin: 46000);
        await using var caller = new Caller(rtpPortMin: 48000);
        try
        {
            var first = caller.Dial(sipPort, number);
            await Task.WhenAny(first.Call.WhenAnswered, first.Call.Completion).WaitAsync(CallTimeout);
            Assert.True(first.Call.WhenAnswered.IsCompletedSuccessfully, $"the first call ended: {first.Call.End}");

            var sipp = await SippRunner.RunAsync(
                ["-sf", RepoPaths.Combine("tests", "Telephony.MediaNode.Tests", "Scenarios", "uac_refused_retry_after.xml"),
                 "-s", number.TrimStart('+'), $"127.0.0.1:{sipPort}", .. SippRunner.Common(FreePorts.Udp())],
                TimeSpan.FromSeconds(30));
            var second = await caller.Dial(sipPort, number).Call.Completion.WaitAsync(CallTimeout);

            Assert.True(sipp.ExitCode == 0, sipp.ToString());
            Assert.Equal(503, second.SipStatus);

            var slots = node.Services.GetRequiredService<Work.ActiveCalls>();
            Assert.Equal(1, slots.Count);
            first.Call.Hangup();
            await first.Call.Completion.WaitAsync(CallTimeout);
            await WaitUntilAsync(() => slots.Count == 0);
            var third = caller.Dial(sipPort, number);
            await third.Call.WhenAnswered.WaitAsync(CallTimeout);
            third.Call.Hangup();
            Assert.True((await third.Call.Completion.WaitAsync(CallTimeout)).WasAnswered);

            // A draining node takes no new calls either, even with a free slot.
            await WaitUntilAsync(() => slots.Count == 0);
            slots.Drain();
            Assert.Equal(503, (await caller.Dial(sipPort, number).Call.Completion.WaitAsync(CallTimeout)).SipStatus);
        }
        finally
        {
            await node.StopAsync();
            await node.DisposeAsync();
        }
    }

    /// <summary>Polls <paramref name="condition"/> (the node frees a slot after it has written the call's final status).</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(CallTimeout);
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
