using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Telephony.Sip.Pacing;
using Telephony.Sip.Tests.Rtp;

namespace Telephony.Sip.Tests.Pacing;

public class RtpPacerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sends its stream id, a packet counter (like an RTP sequence number) and the Stopwatch time of the send. Timing checks use
    /// the send time carried in the packet: a receiver's own clock would also measure its scheduling on a loaded machine.
    /// </summary>
    private sealed class CountingStream(int id, Socket socket, IPEndPoint destination, int packets) : IPacedStream
    {
        private int _sent;

        public int Sent => Volatile.Read(ref _sent);

        public void OnTick()
        {
            if (_sent >= packets)
            {
                return;
            }

            Span<byte> datagram = stackalloc byte[16];
            BinaryPrimitives.WriteInt32BigEndian(datagram, id);
            BinaryPrimitives.WriteInt32BigEndian(datagram[4..], _sent);
            BinaryPrimitives.WriteInt64BigEndian(datagram[8..], Stopwatch.GetTimestamp());
            socket.SendTo(datagram, SocketFlags.None, destination);
            Interlocked.Increment(ref _sent);
        }
    }

    private sealed class TickCounter : IPacedStream
    {
        private int _ticks;

        public int Ticks => Volatile.Read(ref _ticks);

        public void OnTick() => Interlocked.Increment(ref _ticks);
    }

    private sealed class FailingStream : IPacedStream
    {
        public void OnTick() => throw new InvalidOperationException("broken source");
    }

    [Fact]
    public async Task N_streams_times_M_packets_arrive_complete_in_order_and_roughly_every_20_ms()
    {
        const int streams = 16, packets = 40;
        using var pacer = new RtpPacer(new RtpPacerOptions { Loops = 2 });
        await using var receiver = new UdpPeer();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var sources = Enumerable.Range(0, streams).Select(i => new CountingStream(i, socket, receiver.EndPoint, packets)).ToList();

        var registrations = sources.Select(pacer.Register).ToList();
        var datagrams = await receiver.ReceiveManyAsync(streams * packets, Timeout);

        Assert.Equal(streams, pacer.StreamCount);
        foreach (var stream in datagrams.GroupBy(d => BinaryPrimitives.ReadInt32BigEndian(d.Data)))
        {
            var sequence = stream.Select(d => BinaryPrimitives.ReadInt32BigEndian(d.Data.AsSpan(4))).ToList();
            Assert.Equal(Enumerable.Range(0, packets), sequence);
            var arrivals = stream.Select(d => SentAt(d.Data)).ToList();
            var meanIntervalMs = (arrivals[^1] - arrivals[0]) * 1000.0 / Stopwatch.Frequency / (packets - 1);
            Assert.InRange(meanIntervalMs, 15, 30);
        }

        Assert.Equal(streams, datagrams.Select(d => BinaryPrimitives.ReadInt32BigEndian(d.Data)).Distinct().Count());
        registrations.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task Phase_slots_spread_the_streams_sends_across_the_interval()
    {
        const int streams = 8, packets = 40;
        using var pacer = new RtpPacer(new RtpPacerOptions { Loops = 1, SlotsPerInterval = 4 });
        await using var receiver = new UdpPeer();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var registrations = Enumerable.Range(0, streams).Select(i => pacer.Register(new CountingStream(i, socket, receiver.EndPoint, packets))).ToList();

        var datagrams = await receiver.ReceiveManyAsync(streams * packets, Timeout);

        // In each round (same packet counter) the 4 slots are 5 ms apart, so the sends spread over about 15 ms. The first rounds
        // are skipped: a loop that started late (JIT, a loaded machine) catches up on missed deadlines in a burst.
        var spreads = datagrams
            .GroupBy(d => BinaryPrimitives.ReadInt32BigEndian(d.Data.AsSpan(4)))
            .Where(round => round.Count() == streams && round.Key >= 15)
            .Select(round => (round.Max(d => SentAt(d.Data)) - round.Min(d => SentAt(d.Data))) * 1000.0 / Stopwatch.Frequency)
            .Order()
            .ToList();
        Assert.NotEmpty(spreads);
        Assert.InRange(spreads[spreads.Count / 2], 10, 20);
        registrations.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task A_disposed_registration_stops_receiving_ticks()
    {
        using var pacer = new RtpPacer(new RtpPacerOptions { Loops = 1 });
        var stopped = new TickCounter();
        var running = new TickCounter();
        using var stoppedRegistration = pacer.Register(stopped);
        using var runningRegistration = pacer.Register(running);
        await WaitUntilAsync(() => stopped.Ticks >= 3);

        stoppedRegistration.Dispose();
        var ticksAtDispose = stopped.Ticks;
        var runningAtDispose = running.Ticks;
        await WaitUntilAsync(() => running.Ticks >= runningAtDispose + 5);

        Assert.InRange(stopped.Ticks, ticksAtDispose, ticksAtDispose + 1);
        await WaitUntilAsync(() => pacer.StreamCount == 1);
    }

    [Fact]
    public async Task A_stream_that_throws_is_unregistered_and_the_others_keep_their_ticks()
    {
        using var pacer = new RtpPacer(new RtpPacerOptions { Loops = 1 });
        var healthy = new TickCounter();
        using var healthyRegistration = pacer.Register(healthy);
        using var failingRegistration = pacer.Register(new FailingStream());

        await WaitUntilAsync(() => healthy.Ticks >= 10);

        Assert.Equal(1, pacer.StreamCount);
    }

    [Fact]
    public async Task Streams_are_spread_over_the_loops()
    {
        using var pacer = new RtpPacer(new RtpPacerOptions { Loops = 2 });
        var counters = Enumerable.Range(0, 6).Select(_ => new TickCounter()).ToList();
        var registrations = counters.Select(pacer.Register).ToList();

        await WaitUntilAsync(() => counters.All(c => c.Ticks >= 3));

        Assert.Equal(6, pacer.StreamCount);
        registrations.ForEach(r => r.Dispose());
        await WaitUntilAsync(() => pacer.StreamCount == 0);
    }

    [Fact]
    public void Rejects_nonsense_options()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacer(new RtpPacerOptions { Loops = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacer(new RtpPacerOptions { Interval = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacer(new RtpPacerOptions { SlotsPerInterval = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacer(new RtpPacerOptions { RealtimePriority = 100 }));
    }

    private static long SentAt(byte[] datagram) => BinaryPrimitives.ReadInt64BigEndian(datagram.AsSpan(8));

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Timeout)
            {
                throw new TimeoutException("condition not reached within " + Timeout);
            }

            await Task.Yield();
            await Task.Delay(5);
        }
    }
}
