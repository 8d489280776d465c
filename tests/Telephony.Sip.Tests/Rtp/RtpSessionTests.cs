using System.Net;
using Telephony.Sip.Dtmf;
using Telephony.Sip.Pacing;
using Telephony.Sip.Rtp;
using Telephony.Sip.Rtp.Codecs;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.Tests.Rtp;

public sealed class RtpSessionTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly RtpPacer _pacer = new(new RtpPacerOptions { Loops = 1 });

    public void Dispose() => _pacer.Dispose();

    internal static RtpSession OpenLoopback(RtpSessionOptions? options = null) =>
        RtpSession.Open((options ?? new RtpSessionOptions()) with { LocalAddress = IPAddress.Loopback, MinPort = 20000, MaxPort = 59999 });

    internal static NegotiatedAudio Audio(IPEndPoint? remote, AudioCodec? codec = null, int? telephoneEvent = 101, SdpDirection direction = SdpDirection.SendRecv) => new()
    {
        RemoteEndPoint = remote,
        Codec = codec ?? AudioCodec.Pcmu,
        Codecs = [codec ?? AudioCodec.Pcmu],
        TelephoneEventPayloadType = telephoneEvent,
        Direction = direction,
    };

    internal static byte[] RtpDatagram(byte payloadType, ushort sequence, uint timestamp, uint ssrc, ReadOnlySpan<byte> payload, bool marker = false)
    {
        var buffer = new byte[RtpHeader.Size + payload.Length];
        RtpPacket.Write(buffer, new RtpHeader(payloadType, sequence, timestamp, ssrc, marker), payload);
        return buffer;
    }

    internal static byte[] Encoded(G711Law law, short[] samples)
    {
        var codes = new byte[samples.Length];
        G711.Encode(law, samples, codes);
        return codes;
    }

    [Fact]
    public async Task Binds_an_even_port_in_the_range()
    {
        await using var session = RtpSession.Open(new RtpSessionOptions { LocalAddress = IPAddress.Loopback, MinPort = 31001, MaxPort = 39000 });

        Assert.Equal(0, session.LocalEndPoint.Port % 2);
        Assert.InRange(session.LocalEndPoint.Port, 31002, 39000);
    }

    [Fact]
    public async Task Binds_IPv6_loopback()
    {
        await using var session = RtpSession.Open(new RtpSessionOptions { LocalAddress = IPAddress.IPv6Loopback, MinPort = 20000, MaxPort = 59999 });

        Assert.Equal(IPAddress.IPv6Loopback, session.LocalEndPoint.Address);
    }

    [Fact]
    public async Task Two_IPv6_sessions_exchange_audio()
    {
        var v6 = new RtpSessionOptions { LocalAddress = IPAddress.IPv6Loopback, MinPort = 20000, MaxPort = 59999 };
        await using var alice = RtpSession.Open(v6);
        await using var bob = RtpSession.Open(v6);
        alice.Apply(Audio(bob.LocalEndPoint, AudioCodec.Pcma));
        bob.Apply(Audio(alice.LocalEndPoint, AudioCodec.Pcma));
        var queue = new AudioFrameQueue();
        queue.Enqueue(TestAudio.Tone(600, 8000 * 5));
        alice.AudioSource = queue;
        var sink = new RecordingSink();
        bob.AudioSink = sink;
        alice.Start(_pacer);
        bob.Start(_pacer);

        await sink.WaitForAudioFramesAsync(10, Timeout);

        Assert.InRange(TestAudio.Rms(sink.Audio().AsSpan(0, 160 * 10)), 4000, 7000); // the first 10 frames: later ones may be the silence after the tone
        Assert.Equal(IPAddress.IPv6Loopback, bob.GetStats().RemoteEndPoint!.Address);
    }

    [Fact]
    public async Task Sends_paced_packets_with_consecutive_sequence_and_timestamps_and_one_marker()
    {
        await using var peer = new UdpPeer();
        await using var session = OpenLoopback();
        var queue = new AudioFrameQueue();
        var tone = TestAudio.Tone(1000, 160 * 30);
        queue.Enqueue(tone);
        session.AudioSource = queue;
        session.Apply(Audio(peer.EndPoint, AudioCodec.Pcma));

        session.Start(_pacer);
        var datagrams = await peer.ReceiveManyAsync(25, Timeout);

        var headers = datagrams.Select(d => RtpPacket.TryParse(d.Data, out var p) ? p.Header : throw new InvalidOperationException("not RTP")).ToList();
        Assert.All(headers, h => Assert.Equal(8, h.PayloadType));
        Assert.All(headers, h => Assert.Equal(session.Ssrc, h.Ssrc));
        Assert.True(headers[0].Marker);
        Assert.All(headers.Skip(1), h => Assert.False(h.Marker));
        for (var i = 1; i < headers.Count; i++)
        {
            Assert.Equal((ushort)(headers[i - 1].SequenceNumber + 1), headers[i].SequenceNumber);
            Assert.Equal(headers[i - 1].Timestamp + 160, headers[i].Timestamp);
        }

        // The first packet carries the first 20 ms of the tone, A-law encoded.
        Assert.True(RtpPacket.TryParse(datagrams[0].Data, out var first));
        Assert.Equal(Encoded(G711Law.ALaw, tone[..160]), first.Payload.ToArray());
        // Loosely paced (timing precision is the benchmark's job): 25 packets take real time, not one burst, and not ages.
        var spanMs = (datagrams[^1].ArrivalTicks - datagrams[0].ArrivalTicks) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
        Assert.InRange(spanMs, 24 * 20 * 0.25, 24 * 20 * 5);
    }

    [Fact]
    public async Task On_the_wire_a_digit_is_an_RFC_4733_event_between_audio_packets_with_timestamps_counting_ticks()
    {
        await using var peer = new UdpPeer();
        await using var session = OpenLoopback();
        session.Apply(Audio(peer.EndPoint, telephoneEvent: 101));
        session.Start(_pacer);
        var packets = new List<(RtpHeader Header, byte[] Payload)>();
        foreach (var datagram in await peer.ReceiveManyAsync(3, Timeout))
        {
            Assert.True(RtpPacket.TryParse(datagram.Data, out var packet));
            packets.Add((packet.Header, packet.Payload.ToArray()));
        }

        session.SendDigits("#");
        while (packets.Count(p => p.Header.PayloadType == 101) < 7 || packets[^1].Header.PayloadType == 101)
        {
            var datagram = await peer.ReceiveAsync(Timeout);
            Assert.True(RtpPacket.TryParse(datagram.Data, out var packet));
            packets.Add((packet.Header, packet.Payload.ToArray()));
        }

        var firstEvent = packets.FindIndex(p => p.Header.PayloadType == 101);
        var events = packets.Skip(firstEvent).Take(7).ToList();
        var audioBefore = packets[firstEvent - 1].Header;
        var audioAfter = packets[firstEvent + 7].Header;
        Assert.All(events, e => Assert.Equal(101, e.Header.PayloadType));
        Assert.All(events, e => Assert.Equal(events[0].Header.Timestamp, e.Header.Timestamp));
        Assert.Equal([true, false, false, false, false, false, false], events.Select(e => e.Header.Marker));
        Assert.All(events, e => Assert.Equal(11, e.Payload[0]));
        Assert.Equal([false, false, false, false, true, true, true], events.Select(e => (e.Payload[1] & 0x80) != 0));
        Assert.Equal(audioBefore.Timestamp + 160, events[0].Header.Timestamp);
        // Seven ticks went by as events; audio resumes seven ticks later, as a new talkspurt, with consecutive sequence numbers.
        Assert.Equal(audioBefore.Timestamp + (8 * 160), audioAfter.Timestamp);
        Assert.True(audioAfter.Marker);
        Assert.Equal((ushort)(audioBefore.SequenceNumber + 8), audioAfter.SequenceNumber);
    }

    [Fact]
    public async Task Latches_onto_the_address_the_peer_actually_sends_from()
    {
        await using var signalled = new UdpPeer();
        await using var actual = new UdpPeer();
        await using var session = OpenLoopback();
        session.Apply(Audio(signalled.EndPoint));
        session.Start(_pacer);
        await signalled.ReceiveAsync(Timeout);

        actual.Send(RtpDatagram(0, 1, 0, 42, new byte[160]), session.LocalEndPoint);
        var fromActual = await actual.ReceiveAsync(Timeout);

        Assert.True(RtpPacket.TryParse(fromActual.Data, out _));
        Assert.Equal(actual.EndPoint, session.GetStats().RemoteEndPoint);
        Assert.True(session.GetStats().Latched);
    }

    [Fact]
    public async Task Garbage_RTCP_and_unknown_payload_types_are_ignored_and_audio_still_flows()
    {
        await using var peer = new UdpPeer();
        await using var session = OpenLoopback();
        session.Apply(Audio(peer.EndPoint));
        var random = new Random(7);
        for (var i = 0; i < 50; i++)
        {
            var junk = new byte[random.Next(1, 300)];
            random.NextBytes(junk);
            junk[0] &= 0x3F; // never version 2, so each one is garbage for sure
            peer.Send(junk, session.LocalEndPoint);
        }

        peer.Send([0x80, 200, 0, 6, 0, 0, 0, 1], session.LocalEndPoint);             // an RTCP SR header on the RTP port
        peer.Send(RtpDatagram(18, 1, 0, 5, new byte[20]), session.LocalEndPoint);   // G.729, not negotiated
        peer.Send([0x80, 0, 0], session.LocalEndPoint);                             // truncated
        var sink = new RecordingSink();
        session.AudioSink = sink;
        session.Start(_pacer);
        var tone = TestAudio.Tone(440, 160 * 10);
        for (var i = 0; i < 10; i++)
        {
            peer.Send(RtpDatagram(0, (ushort)(100 + i), (uint)(i * 160), 9, Encoded(G711Law.MuLaw, tone[(i * 160)..((i + 1) * 160)])), session.LocalEndPoint);
        }

        await sink.WaitForAudioFramesAsync(5, Timeout);
        await WaitUntilAsync(() => session.GetStats().PacketsReceived == 10);

        var stats = session.GetStats();
        Assert.Equal(53, stats.PacketsIgnored);
        Assert.Equal(10, stats.PacketsReceived);
        Assert.InRange(TestAudio.Rms(sink.Audio().AsSpan(0, 160 * 5)), 4000, 7000);
    }

    [Fact]
    public async Task Tolerates_payload_type_packet_time_and_SSRC_changes_mid_stream()
    {
        await using var session = OpenLoopback();
        session.Apply(Audio(null, AudioCodec.Pcma) with { Codecs = [AudioCodec.Pcma, AudioCodec.Pcmu] });
        var source = new IPEndPoint(IPAddress.Loopback, 9);
        var ramp = TestAudio.Tone(300, 240 * 8 + 160 * 6);
        var received = new List<short>();
        var frame = new short[160];
        var offset = 0;
        uint timestamp = 1000;

        // 8 A-law packets of 30 ms from one source, then 6 μ-law packets of 20 ms from another, interleaved with playout.
        for (var i = 0; i < 14; i++)
        {
            var (payloadType, law, ssrc, samples) = i < 8 ? ((byte)8, G711Law.ALaw, 111u, 240) : ((byte)0, G711Law.MuLaw, 222u, 160);
            if (i == 8)
            {
                timestamp = 90000;
            }

            session.OnDatagram(RtpDatagram(payloadType, (ushort)i, timestamp, ssrc, Encoded(law, ramp[offset..(offset + samples)])), source);
            offset += samples;
            timestamp += (uint)samples;
            if (i >= 2 && session.ReadReceivedFrame(frame))
            {
                received.AddRange(frame);
            }
        }

        while (session.ReadReceivedFrame(frame))
        {
            received.AddRange(frame);
        }

        Assert.Equal(14, session.GetStats().PacketsReceived);
        Assert.Equal(0, session.GetStats().PacketsIgnored);
        Assert.True(received.Count >= 160 * 8, $"only {received.Count} samples played");
        Assert.InRange(TestAudio.Rms([.. received]), 4500, 6500);
    }

    [Fact]
    public async Task Two_sessions_exchange_audio_and_RFC_4733_digits()
    {
        await using var alice = OpenLoopback();
        await using var bob = OpenLoopback();
        alice.Apply(Audio(bob.LocalEndPoint));
        bob.Apply(Audio(alice.LocalEndPoint));
        var queue = new AudioFrameQueue();
        queue.Enqueue(TestAudio.Tone(800, 8000 * 5));
        alice.AudioSource = queue;
        var sink = new RecordingSink();
        bob.AudioSink = sink;
        alice.Start(_pacer);
        bob.Start(_pacer);

        await sink.WaitForAudioFramesAsync(10, Timeout);
        alice.SendDigits("1#9*");
        var digits = await ReadDigitsAsync(bob, 4);

        Assert.Equal("1#9*", string.Concat(digits.Select(d => d.Digit)));
        Assert.All(digits, d => Assert.Equal(DtmfSource.Rfc4733, d.Source));
        Assert.All(digits, d => Assert.Equal(100, d.DurationMs));
        Assert.InRange(TestAudio.Rms(sink.Audio().AsSpan(0, 160 * 10)), 4000, 7000); // the first 10 frames: later ones may be the silence after the tone
        Assert.Equal(0, bob.GetStats().PacketsLost);
    }

    [Fact]
    public async Task Without_telephone_event_digits_travel_as_tones_and_are_detected_in_band()
    {
        await using var alice = OpenLoopback(new RtpSessionOptions { DtmfDurationMs = 120 });
        await using var bob = OpenLoopback();
        alice.Apply(Audio(bob.LocalEndPoint, telephoneEvent: null));
        bob.Apply(Audio(alice.LocalEndPoint, telephoneEvent: null));
        alice.Start(_pacer);
        bob.Start(_pacer);

        alice.SendDigits("5w0D");
        var digits = await ReadDigitsAsync(bob, 3);

        Assert.Equal("50D", string.Concat(digits.Select(d => d.Digit)));
        Assert.All(digits, d => Assert.Equal(DtmfSource.InBand, d.Source));
    }

    [Fact]
    public async Task On_hold_with_recvonly_nothing_is_sent()
    {
        await using var peer = new UdpPeer();
        await using var session = OpenLoopback();
        session.Apply(Audio(peer.EndPoint, direction: SdpDirection.RecvOnly));
        session.Start(_pacer);
        var sink = new RecordingSink();
        session.AudioSink = sink;
        for (var i = 0; i < 6; i++)
        {
            peer.Send(RtpDatagram(0, (ushort)i, (uint)(i * 160), 3, Encoded(G711Law.MuLaw, TestAudio.Tone(500, 160, sampleOffset: i * 160))), session.LocalEndPoint);
        }

        // Receiving still works (the frames reach the sink), and by then several ticks have passed without a packet out.
        await sink.WaitForAudioFramesAsync(3, Timeout);

        Assert.Equal(0, session.GetStats().PacketsSent);
    }

    [Fact]
    public async Task Sessions_exchange_RTCP_reports_on_the_port_above_RTP_and_measure_round_trip()
    {
        var fastReports = new RtpSessionOptions { RtcpInterval = TimeSpan.FromMilliseconds(200) };
        await using var alice = OpenLoopback(fastReports with { CanonicalName = "alice@test" });
        await using var bob = OpenLoopback(fastReports);
        alice.Apply(Audio(bob.LocalEndPoint));
        bob.Apply(Audio(alice.LocalEndPoint));
        alice.Start(_pacer);
        bob.Start(_pacer);

        await WaitUntilAsync(() => alice.GetStats().RoundTripMs is not null && bob.GetStats().PeerReport is { IsSenderReport: true });

        var report = bob.GetStats().PeerReport!;
        Assert.Equal(alice.Ssrc, report.Ssrc);
        Assert.Equal("alice@test", report.CanonicalName);
        Assert.True(report.PacketCount > 0);
        Assert.InRange(alice.GetStats().RoundTripMs!.Value, 0, 2000);
        var block = Assert.Single(report.Blocks);
        Assert.Equal(bob.Ssrc, block.Ssrc);
        Assert.Equal(0, block.CumulativeLost);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    [Fact]
    public async Task A_telephone_event_whose_end_packets_never_come_is_reported_after_a_second_of_ticks()
    {
        await using var session = OpenLoopback();
        session.Apply(Audio(null));
        var source = new IPEndPoint(IPAddress.Loopback, 9);
        session.OnDatagram(RtpDatagram(101, 1, 4000, 5, [4, 10, 0, 160], marker: true), source);
        session.OnDatagram(RtpDatagram(101, 2, 4000, 5, [4, 10, 1, 64]), source);

        for (var tick = 0; tick < 49; tick++)
        {
            session.OnTick();
        }

        Assert.False(session.Digits.TryRead(out _));
        session.OnTick();
        Assert.True(session.Digits.TryRead(out var digit));
        Assert.Equal('4', digit.Digit);
    }

    [Fact]
    public void SendDigits_rejects_characters_that_are_not_DTMF()
    {
        var sender = new DtmfSender();

        var error = Assert.Throws<ArgumentException>(() => sender.Enqueue("12x"));
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
        Assert.True(sender.IsIdle);
    }

    private static async Task<List<DtmfDigit>> ReadDigitsAsync(RtpSession session, int count)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var digits = new List<DtmfDigit>();
        while (digits.Count < count)
        {
            digits.Add(await session.Digits.ReadAsync(deadline.Token));
        }

        return digits;
    }
}
