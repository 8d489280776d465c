using Telephony.Core.Calls;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// A trunk's MaxChannels through the whole path: API → dispatch → the node's dialer, which takes the channel from
/// the cluster-wide ledger (tests/Telephony.Core.Tests/Limits/TrunkChannelsTests has several nodes racing for it).
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class TrunkChannelTests(PlatformFixture platform)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_call_over_a_trunk_whose_channels_are_all_in_use_fails_and_the_next_after_a_hangup_goes_through()
    {
        platform.App.Serve("/voice/hold", "<Response><Pause length=\"30\"/></Response>");
        var holding = platform.FarEnd.CallTo("+15570000001");
        var first = await platform.CreateCallAsync("+15570000001", "/voice/hold");
        await holding.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(first, CallTimeout, "in-progress");

        // The trunk's one channel is taken: the next call on it fails without an INVITE reaching the carrier.
        var refusedAtCarrier = platform.FarEnd.CallTo("+15570000002");
        var second = await platform.CreateCallAsync("+15570000002", "/voice/hold");
        var refused = await platform.WaitForStatusAsync(second, CallTimeout, "failed", "in-progress", "completed");
        Assert.Equal("failed", refused.GetProperty("status").GetString());
        Assert.False(refusedAtCarrier.IsCompleted);
        var record = await new CallStore(platform.Storage, TimeProvider.System).GetAsync(platform.AccountSid, second);
        Assert.Equal(PlatformFixture.NodeId, record!.NodeId);

        // The first call ends: its channel is given back and a new call goes through.
        await platform.UpdateCallAsync(first, ("Status", "completed"));
        await platform.WaitForStatusAsync(first, CallTimeout, "completed");
        var third = platform.FarEnd.CallTo("+15570000003");
        var sid = await platform.CreateCallAsync("+15570000003", "/voice/hold");
        await third.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "in-progress");
        await platform.UpdateCallAsync(sid, ("Status", "completed"));
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");
    }
}
