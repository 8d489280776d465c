using Telephony.Sip.Dtmf;
using Telephony.Sip.Rtp.Codecs;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.Rtp;

/// <summary>
/// The receive half of a session. Tolerant by design: payload type, packet time and SSRC may change mid-stream; anything that is
/// not RTP of a known payload type is counted and ignored. Audio is decoded into the jitter buffer; telephone-event packets go to
/// the RFC 4733 receiver; without telephone-event the decoded audio also goes through the Goertzel detector.
/// Called under the session's receive lock.
/// </summary>
internal sealed class RtpReceiver
{
    private const int MaxSamples = 2048;
    private const int EventTimeoutTicks = 50;
    private readonly RtpReceiveStatistics _statistics = new();
    private readonly JitterBuffer _jitterBuffer;
    private readonly Rfc4733Receiver _rfc4733;
    private readonly GoertzelDtmfDetector _inBand = new();
    private readonly Dictionary<int, G711Law> _audioTypes = new() { [0] = G711Law.MuLaw, [8] = G711Law.ALaw };
    private readonly bool _alwaysDetectInBand;
    private int? _eventPayloadType;
    private bool _receives = true;
    private uint? _audioSsrc;
    private int _ticksSinceEvent;

    public RtpReceiver(RtpSessionOptions options)
    {
        _jitterBuffer = new JitterBuffer(options.JitterBuffer);
        _rfc4733 = new Rfc4733Receiver(options.DetectDtmfOnStart);
        _alwaysDetectInBand = options.AlwaysDetectInBandDtmf;
    }

    public RtpReceiveStatistics Statistics => _statistics;

    public JitterBuffer JitterBuffer => _jitterBuffer;

    public long Ignored { get; private set; }

    public void CountIgnored() => Ignored++;

    public void Configure(NegotiatedAudio audio)
    {
        foreach (var codec in audio.Codecs)
        {
            if (codec.EncodingName.Equals("PCMU", StringComparison.OrdinalIgnoreCase))
            {
                _audioTypes[codec.PayloadType] = G711Law.MuLaw;
            }
            else if (codec.EncodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase))
            {
                _audioTypes[codec.PayloadType] = G711Law.ALaw;
            }
        }

        _eventPayloadType = audio.TelephoneEventPayloadType;
        _receives = audio.Direction.Receives();
    }

    /// <summary>Counts a 20 ms tick; an RFC 4733 event silent for a second lost all its end packets and is reported now.</summary>
    public DtmfDigit? OnTick()
    {
        return ++_ticksSinceEvent == EventTimeoutTicks ? _rfc4733.Flush() : null;
    }

    /// <summary>Handles one datagram; returns true when it was RTP of a known payload type (eligible for latching).</summary>
    /// <param name="arrival">Arrival time in 8 kHz units.</param>
    public bool Receive(ReadOnlySpan<byte> datagram, long arrival, List<DtmfDigit> digits)
    {
        if (!RtpPacket.TryParse(datagram, out var packet))
        {
            Ignored++;
            return false;
        }

        var header = packet.Header;
        if (header.PayloadType == _eventPayloadType)
        {
            _statistics.Record(header, arrival);
            _ticksSinceEvent = 0;
            digits.AddRange(_rfc4733.Process(header.Timestamp, packet.Payload));
            return true;
        }

        if (!_audioTypes.TryGetValue(header.PayloadType, out var law) || packet.Payload.Length > MaxSamples)
        {
            Ignored++;
            return false;
        }

        _statistics.Record(header, arrival);
        if (!_receives || packet.Payload.IsEmpty)
        {
            return true;
        }

        if (_audioSsrc != header.Ssrc)
        {
            // A new source (re-INVITE, transfer, a pcap spliced together): start the playout afresh.
            _audioSsrc = header.Ssrc;
            _jitterBuffer.Reset();
        }

        Span<short> samples = stackalloc short[packet.Payload.Length];
        G711.Decode(law, packet.Payload, samples);
        _jitterBuffer.Put(header.Timestamp, samples);
        _jitterBuffer.ObserveJitter(_statistics.JitterSamples);
        if (_eventPayloadType is null || _alwaysDetectInBand)
        {
            digits.AddRange(_inBand.Process(samples));
        }

        return true;
    }
}
