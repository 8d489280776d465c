using Telephony.Sip.Rtp;
using Telephony.Sip.Rtp.Codecs;

namespace Telephony.Sip.Tests.Rtp;

/// <summary>
/// A pacer tick must never wait for a receive thread that holds the session's receive lock (on a loaded machine it may be
/// preempted holding it while the pacer runs at real-time priority): the packet leaves at once, and the playout it owes
/// reaches the sink later, in order, and only on the ticking thread.
/// </summary>
public sealed class RtpSessionLockTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>20 ms of µ-law at one constant level, so a frame played out names the packet it came from.</summary>
    internal static byte[] LevelPacket(int index, uint ssrc = 7) =>
        RtpSessionTests.RtpDatagram(0, (ushort)index, (uint)(160 * index), ssrc, RtpSessionTests.Encoded(G711Law.MuLaw, Level(index)));

    /// <summary>The level packet <paramref name="index"/> decodes to.</summary>
    internal static short DecodedLevel(int index) => G711.DecodeMuLaw(G711.EncodeMuLaw(Level(index)[0]));

    private static short[] Level(int index) => Enumerable.Repeat((short)((index + 1) * 1000), 160).ToArray();

    /// <summary>Runs one tick on a thread of its own (standing for the pacer's) and returns that thread; fails if the tick blocks.</summary>
    internal static async Task<int> TickOnItsOwnThreadAsync(RtpSession session)
    {
        var thread = 0;
        await Task.Factory.StartNew(
            () =>
            {
                thread = Environment.CurrentManagedThreadId;
                session.OnTick();
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).WaitAsync(Timeout);
        return thread;
    }

    private static Task ReceiveOnItsOwnThreadAsync(RtpSession session, byte[] datagram, UdpPeer from) =>
        Task.Factory.StartNew(() => session.OnDatagram(datagram, from.EndPoint), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .WaitAsync(Timeout);

    private static async Task<RtpSession> OpenWithBufferedAudioAsync(UdpPeer peer, IAudioSink sink, int packets = 5)
    {
        var session = RtpSessionTests.OpenLoopback();
        session.AudioSink = sink;
        session.Apply(RtpSessionTests.Audio(peer.EndPoint, telephoneEvent: null));

        // Enough audio in the jitter buffer to play out at once.
        for (var i = 0; i < packets; i++)
        {
            await ReceiveOnItsOwnThreadAsync(session, LevelPacket(i), peer);
        }

        return session;
    }

    [Fact]
    public async Task A_tick_sends_while_a_receive_thread_holds_the_lock_and_its_playout_reaches_the_sink_later_on_the_ticking_thread_in_order()
    {
        await using var peer = new UdpPeer();
        var sink = new PlayoutLog();
        await using var session = await OpenWithBufferedAudioAsync(peer, sink);

        using (new HeldLock(session.ReceiveLock))
        {
            await TickOnItsOwnThreadAsync(session);
            await peer.ReceiveAsync(Timeout);
            Assert.Empty(sink.Frames());
        }

        // The next receive thread plays the owed tick out before it lets go of the lock, but does not call the sink itself.
        await ReceiveOnItsOwnThreadAsync(session, LevelPacket(5), peer);
        Assert.Empty(sink.Frames());

        var ticking = await TickOnItsOwnThreadAsync(session);
        var frames = sink.Frames();
        Assert.Equal([(DecodedLevel(0), true, ticking), (DecodedLevel(1), true, ticking)], frames);
    }

    [Fact]
    public async Task Playout_done_by_a_receive_thread_reaches_the_sink_even_when_the_next_tick_finds_the_lock_busy_again()
    {
        await using var peer = new UdpPeer();
        var sink = new PlayoutLog();
        await using var session = await OpenWithBufferedAudioAsync(peer, sink);

        using (new HeldLock(session.ReceiveLock))
        {
            await TickOnItsOwnThreadAsync(session);
        }

        await ReceiveOnItsOwnThreadAsync(session, LevelPacket(5), peer);
        using (new HeldLock(session.ReceiveLock))
        {
            var ticking = await TickOnItsOwnThreadAsync(session);
            Assert.Equal([(DecodedLevel(0), true, ticking)], sink.Frames());
        }

        await peer.ReceiveManyAsync(2, Timeout);
    }

    [Fact]
    public async Task Ticks_owed_over_several_busy_ticks_are_all_played_out_oldest_first_by_the_first_tick_that_gets_the_lock()
    {
        await using var peer = new UdpPeer();
        var sink = new PlayoutLog();
        await using var session = await OpenWithBufferedAudioAsync(peer, sink);

        using (new HeldLock(session.ReceiveLock))
        {
            for (var tick = 0; tick < 3; tick++)
            {
                await TickOnItsOwnThreadAsync(session);
            }

            // Every busy tick still sent its packet.
            await peer.ReceiveManyAsync(3, Timeout);
            Assert.Empty(sink.Frames());
        }

        await TickOnItsOwnThreadAsync(session);
        Assert.Equal([DecodedLevel(0), DecodedLevel(1), DecodedLevel(2), DecodedLevel(3)], sink.Frames().Select(f => f.Level));
    }
}
