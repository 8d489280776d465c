using Telephony.Sip.Rtp;
using Telephony.Sip.Rtp.Codecs;

namespace Telephony.Sip.Tests.Rtp;

/// <summary>Two legs bridged: what one leg plays out the other sends, and neither leg's tick waits for a receive thread of either.</summary>
public sealed class AudioBridgeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static short FirstSample(byte[] datagram) => G711.DecodeMuLaw(datagram[RtpHeader.Size]);

    [Fact]
    public async Task Both_legs_keep_sending_while_one_legs_receive_lock_is_held_and_its_audio_crosses_in_order_once_it_is_let_go()
    {
        await using var farA = new UdpPeer();
        await using var farB = new UdpPeer();
        await using var a = RtpSessionTests.OpenLoopback();
        await using var b = RtpSessionTests.OpenLoopback();
        a.Apply(RtpSessionTests.Audio(farA.EndPoint, telephoneEvent: null));
        b.Apply(RtpSessionTests.Audio(farB.EndPoint, telephoneEvent: null));
        using var bridge = AudioBridge.Connect(a, b);
        for (var i = 0; i < 5; i++)
        {
            a.OnDatagram(RtpSessionLockTests.LevelPacket(i), farA.EndPoint);
        }

        using (new HeldLock(a.ReceiveLock))
        {
            await RtpSessionLockTests.TickOnItsOwnThreadAsync(a);
            await RtpSessionLockTests.TickOnItsOwnThreadAsync(b);
            await farA.ReceiveAsync(Timeout);
            var (silence, _, _) = await farB.ReceiveAsync(Timeout);
            Assert.Equal(0, FirstSample(silence));
        }

        // A's next tick plays out the tick it owed and its own; B sends them, oldest first.
        await RtpSessionLockTests.TickOnItsOwnThreadAsync(a);
        await RtpSessionLockTests.TickOnItsOwnThreadAsync(b);
        await RtpSessionLockTests.TickOnItsOwnThreadAsync(b);
        var relayed = await farB.ReceiveManyAsync(2, Timeout);
        Assert.Equal([RtpSessionLockTests.DecodedLevel(0), RtpSessionLockTests.DecodedLevel(1)], relayed.Select(d => FirstSample(d.Data)));
        Assert.Equal(0, bridge.FirstToSecond.Dropped);
    }
}
