using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Telephony.Sip.Rtp;
using Telephony.Sip.Rtp.Codecs;

namespace Telephony.Sip.Bench;

/// <summary>
/// The per-packet cost of a Dial bridge: a PCMU packet from the caller is parsed, decoded into the jitter buffer,
/// played out into the bridge's <see cref="FramePipe"/>, read by the callee's leg and encoded as PCMA into a packet —
/// the same steps an <see cref="RtpSession"/> pair runs per 20 ms (minus the sockets).
/// </summary>
[ShortRunJob(RuntimeMoniker.Net10_0)]
[MemoryDiagnoser]
public class BridgeBenchmarks
{
    private readonly byte[] _inbound = new byte[RtpHeader.Size + 160];
    private readonly byte[] _outbound = new byte[RtpHeader.Size + 160];
    private readonly short[] _decoded = new short[160];
    private readonly short[] _frame = new short[160];
    private readonly FramePipe _pipe = new();
    private JitterBuffer _jitter = null!;
    private ushort _sequence;
    private uint _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        var tone = new short[160];
        for (var i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000.0));
        }

        RtpPacket.WriteHeader(_inbound, new RtpHeader(0, 0, 0, 42));
        G711.EncodeMuLaw(tone, _inbound.AsSpan(RtpHeader.Size));
        _jitter = new JitterBuffer();

        // Prime the buffer past its playout delay so every iteration plays one frame out.
        for (var i = 0; i < 4; i++)
        {
            RelayPacket();
        }
    }

    /// <summary>Only the bridge's hand-over: one frame into the pipe and out again.</summary>
    [Benchmark]
    public short PipeOnly()
    {
        _pipe.WriteFrame(_frame, hasAudio: true);
        _pipe.ReadFrame(_frame);
        return _frame[0];
    }

    /// <summary>One PCMU packet in, one PCMA packet out, through the jitter buffer and the pipe.</summary>
    [Benchmark]
    public int RelayPcmuToPcma() => RelayPacket();

    private int RelayPacket()
    {
        // Receive: the next packet of the stream, parsed and decoded into the jitter buffer.
        BinaryPrimitives.WriteUInt16BigEndian(_inbound.AsSpan(2), ++_sequence);
        BinaryPrimitives.WriteUInt32BigEndian(_inbound.AsSpan(4), _timestamp += 160);
        if (!RtpPacket.TryParse(_inbound, out var packet))
        {
            return 0;
        }

        G711.DecodeMuLaw(packet.Payload, _decoded);
        _jitter.Put(packet.Header.Timestamp, _decoded);

        // Caller leg's tick: playout into the bridge.
        var hasAudio = _jitter.Read(_frame);
        _pipe.WriteFrame(_frame, hasAudio);

        // Callee leg's tick: read the bridge, encode A-law, write the packet.
        _frame.AsSpan().Clear();
        _pipe.ReadFrame(_frame);
        RtpPacket.WriteHeader(_outbound, new RtpHeader(8, _sequence, _timestamp, 43));
        G711.EncodeALaw(_frame, _outbound.AsSpan(RtpHeader.Size));
        return _outbound[RtpHeader.Size];
    }
}
