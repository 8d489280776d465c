using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Telephony.Sip.Rtp;
using Telephony.Sip.Rtp.Codecs;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.Bench;

/// <summary>Per-packet and per-call costs on the media hot paths.</summary>
[ShortRunJob(RuntimeMoniker.Net10_0)]
[MemoryDiagnoser]
public class MicroBenchmarks
{
    private const string Offer =
        "v=0\r\no=FreeSWITCH 1700000000 1700000001 IN IP4 192.0.2.10\r\ns=FreeSWITCH\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n" +
        "m=audio 24000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n" +
        "a=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";

    private readonly byte[] _packet = new byte[RtpHeader.Size + 160];
    private readonly short[] _frame = new short[160];
    private readonly byte[] _encoded = new byte[160];
    private readonly LocalMediaOptions _local = new() { Address = System.Net.IPAddress.Loopback, Port = 40000 };
    private SessionDescription _offer = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < _frame.Length; i++)
        {
            _frame[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000.0));
        }

        RtpPacket.Write(_packet, new RtpHeader(0, 1, 160, 42), _encoded);
        _offer = SdpParser.Parse(Offer);
    }

    [Benchmark]
    public int RtpParse() => RtpPacket.TryParse(_packet, out var packet) ? packet.Payload.Length : 0;

    [Benchmark]
    public int RtpWrite() => RtpPacket.Write(_packet, new RtpHeader(8, 2, 320, 42, Marker: true), _encoded);

    [Benchmark]
    public byte G711EncodeFrame()
    {
        G711.EncodeALaw(_frame, _encoded);
        return _encoded[0];
    }

    [Benchmark]
    public short G711DecodeFrame()
    {
        G711.DecodeMuLaw(_encoded, _frame);
        return _frame[0];
    }

    [Benchmark]
    public int SdpParse() => SdpParser.Parse(Offer).Media.Count;

    [Benchmark]
    public int SdpWrite() => _offer.ToString().Length;

    [Benchmark]
    public bool SdpAnswer() => SdpOfferAnswer.Answer(_offer, _local).Succeeded;
}
