using Telephony.Sip.Dtmf;
using Telephony.Sip.Rtp;
using Telephony.Sip.Rtp.Codecs;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.Tests.Rtp;

/// <summary>
/// Replays the RTP captures sipp ships with (/usr/share/sip-tester) into an RTP session on their own timeline: every 20 ms
/// playout tick first delivers the packets captured up to that instant, as the network would.
/// </summary>
public class SippPcapReplayTests
{
    private const string SippPcaps = "/usr/share/sip-tester";

    private static string Capture(string name)
    {
        var path = Path.Combine(SippPcaps, name);
        Assert.True(File.Exists(path), $"{path} is missing; ./test.sh installs sipp (apt-get install sip-tester)");
        return path;
    }

    private static NegotiatedAudio Pcma101 => new()
    {
        Codec = AudioCodec.Pcma,
        Codecs = [AudioCodec.Pcma, AudioCodec.Pcmu],
        TelephoneEventPayloadType = 101,
        Direction = SdpDirection.SendRecv,
    };

    [Fact]
    public async Task G711a_capture_of_30_ms_PCMA_packets_plays_out_as_continuous_20_ms_frames()
    {
        var datagrams = PcapFile.ReadUdp(Capture("g711a.pcap"));
        await using var session = RtpSessionTests.OpenLoopback();
        session.Apply(Pcma101);
        var played = new List<short>();
        var frame = new short[160];
        var next = 0;
        var started = false;
        var gapsAfterStart = 0;
        for (var tick = 0; tick < 1000; tick++) // the capture lasts about 7 s = 350 ticks
        {
            var now = TimeSpan.FromMilliseconds(tick * 20);
            while (next < datagrams.Count && datagrams[next].Time <= now)
            {
                session.OnDatagram(datagrams[next].Payload, datagrams[next].Source);
                next++;
            }

            if (session.ReadReceivedFrame(frame))
            {
                started = true;
                played.AddRange(frame);
            }
            else if (started && next < datagrams.Count)
            {
                gapsAfterStart++;
            }
            else if (started)
            {
                break;
            }
        }

        // What came out is exactly the capture's A-law payloads decoded back to back: nothing lost, repeated or reordered.
        var expected = datagrams.SelectMany(d =>
        {
            Assert.True(RtpPacket.TryParse(d.Payload, out var packet));
            var samples = new short[packet.Payload.Length];
            G711.DecodeALaw(packet.Payload, samples);
            return samples;
        }).ToArray();
        var stats = session.GetStats();
        Assert.Equal(236, stats.PacketsReceived);
        Assert.Equal(0, stats.PacketsLost);
        Assert.Equal(0, stats.PacketsIgnored);
        Assert.Equal(0, gapsAfterStart);
        Assert.Equal(236 * 240, expected.Length);
        Assert.Equal(expected[..played.Count], played);
        Assert.InRange(played.Count, expected.Length - 160, expected.Length);
        Assert.True(TestAudio.Rms([.. played]) > 500, "the capture holds speech, not silence");
    }

    [Theory]
    [InlineData("dtmf_2833_0.pcap", '0')]
    [InlineData("dtmf_2833_1.pcap", '1')]
    [InlineData("dtmf_2833_2.pcap", '2')]
    [InlineData("dtmf_2833_3.pcap", '3')]
    [InlineData("dtmf_2833_4.pcap", '4')]
    [InlineData("dtmf_2833_5.pcap", '5')]
    [InlineData("dtmf_2833_6.pcap", '6')]
    [InlineData("dtmf_2833_7.pcap", '7')]
    [InlineData("dtmf_2833_8.pcap", '8')]
    [InlineData("dtmf_2833_9.pcap", '9')]
    [InlineData("dtmf_2833_star.pcap", '*')]
    [InlineData("dtmf_2833_pound.pcap", '#')]
    public async Task Each_sipp_DTMF_capture_yields_its_digit_exactly_once(string file, char digit)
    {
        await using var session = RtpSessionTests.OpenLoopback();
        session.Apply(Pcma101);

        foreach (var datagram in PcapFile.ReadUdp(Capture(file)))
        {
            session.OnDatagram(datagram.Payload, datagram.Source);
        }

        Assert.True(session.Digits.TryRead(out var received));
        Assert.Equal(digit, received.Digit);
        Assert.Equal(DtmfSource.Rfc4733, received.Source);
        Assert.False(session.Digits.TryRead(out _));
    }

    [Fact]
    public async Task The_DTMF_captures_spliced_after_the_speech_capture_give_audio_and_every_digit()
    {
        // A stream like sipp produces when a scenario plays g711a.pcap and then the DTMF pcaps: new SSRC, PT and timing each time.
        await using var session = RtpSessionTests.OpenLoopback();
        session.Apply(Pcma101);
        var files = new[] { "g711a.pcap", "dtmf_2833_4.pcap", "dtmf_2833_2.pcap", "dtmf_2833_pound.pcap" };
        var frame = new short[160];
        var audioFrames = 0;

        foreach (var file in files)
        {
            foreach (var datagram in PcapFile.ReadUdp(Capture(file)))
            {
                session.OnDatagram(datagram.Payload, datagram.Source);
                if (session.ReadReceivedFrame(frame))
                {
                    audioFrames++;
                }
            }
        }

        var digits = new List<char>();
        while (session.Digits.TryRead(out var received))
        {
            digits.Add(received.Digit);
        }

        Assert.Equal("42#", new string([.. digits]));
        Assert.True(audioFrames > 100, $"only {audioFrames} audio frames");
    }
}
