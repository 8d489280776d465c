using System.Text;
using BenchmarkDotNet.Attributes;
using Telephony.Sip.Messages;

namespace Telephony.Sip.Benchmarks;

/// <summary>Parser throughput and allocations on a typical INVITE with SDP (one message per operation).</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private const string Sdp =
        "v=0\r\no=- 8000 8000 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0 8 101\r\n" +
        "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";

    private static readonly string Invite =
        "INVITE sip:+14155550123@trunk.example.com;transport=udp SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: \"Alice\" <sip:+14155550100@example.com>;tag=1928301774\r\n" +
        "To: <sip:+14155550123@trunk.example.com>\r\n" +
        "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:alice@192.0.2.10:5060>\r\n" +
        "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO\r\n" +
        "Supported: replaces, timer\r\n" +
        "User-Agent: Telephony.Serverless\r\n" +
        "Content-Type: application/sdp\r\n" +
        $"Content-Length: {Sdp.Length}\r\n\r\n" + Sdp;

    private readonly byte[] _bytes = Encoding.ASCII.GetBytes(Invite);
    private SipMessage _parsed = null!;

    [GlobalSetup]
    public void Setup() => _parsed = SipParser.ParseDatagram(_bytes).Message!;

    [Benchmark(Baseline = true)]
    public SipMessage? ParseInvite() => SipParser.ParseDatagram(_bytes).Message;

    [Benchmark]
    public SipError? ParseAndValidateInvite()
    {
        var message = SipParser.ParseDatagram(_bytes).Message!;
        return SipMessageValidator.Validate(message);
    }

    [Benchmark]
    public byte[] SerializeInvite() => SipSerializer.Serialize(_parsed);
}
