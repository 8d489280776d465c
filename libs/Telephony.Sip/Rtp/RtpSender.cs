using System.Net;
using System.Net.Sockets;
using Telephony.Sip.Dtmf;
using Telephony.Sip.Rtp.Codecs;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.Rtp;

/// <summary>
/// The send half of a session: random SSRC, sequence and timestamp; the timestamp advances 160 per tick (a packet count, never
/// wall time); the marker bit starts each talkspurt; DTMF ticks carry telephone-event packets or, without telephone-event, tones.
/// Ticked under the session's send lock; the counters and timestamp may be read from any thread (RTCP, stats), at worst a
/// packet behind.
/// </summary>
internal sealed class RtpSender
{
    private const int FrameSamples = 160;
    private readonly byte[] _packet = new byte[RtpHeader.Size + FrameSamples];
    private readonly DtmfSender _dtmf;
    private readonly uint _ssrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
    private ushort _sequence = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
    private uint _timestamp = (uint)Random.Shared.NextInt64(uint.MaxValue + 1L);
    private bool _marker = true;
    private AudioCodec? _codec;
    private G711Law _law;
    private int? _eventPayloadType;
    private bool _sends;
    private IPEndPoint? _destination;
    private SocketAddress? _destinationAddress;
    private long _packetsSent;
    private long _octetsSent;
    private long _sendErrors;

    public RtpSender(int dtmfDurationMs) => _dtmf = new DtmfSender(dtmfDurationMs);

    public uint Ssrc => _ssrc;

    public long PacketsSent => Volatile.Read(ref _packetsSent);

    public long OctetsSent => Volatile.Read(ref _octetsSent);

    public long SendErrors => Volatile.Read(ref _sendErrors);

    /// <summary>The RTP timestamp of the next tick; RTCP sender reports use it.</summary>
    public uint CurrentTimestamp => Volatile.Read(ref _timestamp);

    public DtmfSender Dtmf => _dtmf;

    public void Configure(NegotiatedAudio audio)
    {
        _codec = audio.Codec;
        _law = audio.Codec.EncodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase) ? G711Law.ALaw : G711Law.MuLaw;
        _eventPayloadType = audio.TelephoneEventPayloadType;
        _sends = audio.Direction.Sends();
        _marker = true;
    }

    /// <param name="frame">This tick's 160 samples from the audio source (already read); DTMF tones may overwrite them.</param>
    public void Tick(Socket socket, IPEndPoint? destination, Span<short> frame)
    {
        var tickTimestamp = _timestamp;
        Volatile.Write(ref _timestamp, tickTimestamp + FrameSamples);
        var step = _dtmf.Next(tickTimestamp);
        if (_codec is null || !_sends || destination is null)
        {
            return;
        }

        if (step.IsEvent && _eventPayloadType is { } eventType)
        {
            RtpPacket.WriteHeader(_packet, new RtpHeader((byte)eventType, _sequence++, step.EventTimestamp, _ssrc, step.Marker));
            step.Payload.Write(_packet.AsSpan(RtpHeader.Size));
            Send(socket, destination, RtpHeader.Size + TelephoneEventPayload.Size);
            _marker = true;
            return;
        }

        if (step.IsEvent)
        {
            if (step.ToneSampleOffset >= 0)
            {
                DtmfToneGenerator.Write(step.Digit, frame, step.ToneSampleOffset);
            }
            else
            {
                frame.Clear();
            }
        }

        RtpPacket.WriteHeader(_packet, new RtpHeader((byte)_codec.PayloadType, _sequence++, tickTimestamp, _ssrc, _marker));
        _marker = false;
        G711.Encode(_law, frame, _packet.AsSpan(RtpHeader.Size));
        Send(socket, destination, RtpHeader.Size + FrameSamples);
    }

    private void Send(Socket socket, IPEndPoint destination, int length)
    {
        try
        {
            if (!ReferenceEquals(destination, _destination))
            {
                // Serialising the endpoint once per destination keeps the per-packet send free of allocations.
                _destination = destination;
                _destinationAddress = destination.Serialize();
            }

            socket.SendTo(_packet.AsSpan(0, length), SocketFlags.None, _destinationAddress!);
            Volatile.Write(ref _packetsSent, _packetsSent + 1);
            Volatile.Write(ref _octetsSent, _octetsSent + length - RtpHeader.Size);
        }
        catch (SocketException)
        {
            // Unreachable peers and full buffers are counted, not thrown: the pacer must keep going for the other calls.
            Volatile.Write(ref _sendErrors, _sendErrors + 1);
        }
        catch (ObjectDisposedException)
        {
            Volatile.Write(ref _sendErrors, _sendErrors + 1);
        }
    }
}
