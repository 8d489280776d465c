using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Telephony.Sip.Dtmf;
using Telephony.Sip.Pacing;
using Telephony.Sip.Rtp;
using Telephony.Sip.Sdp;
using Telephony.Testing;

namespace Telephony.Sip.Tests.Rtp;

/// <summary>
/// sipp itself plays its RTP captures (<c>play_pcap_audio</c>) at an RTP session: sipp is the UAC, a minimal raw-UDP UAS in this
/// test answers with SDP pointing at the session, so sipp's pcap player sends the DTMF and speech captures there over loopback.
/// </summary>
public sealed class SippPcapPlayTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly RtpPacer _pacer = new(new RtpPacerOptions { Loops = 1 });
    private readonly string _directory = Directory.CreateTempSubdirectory("sipp-pcap-").FullName;

    public void Dispose()
    {
        _pacer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Sipp_plays_DTMF_and_speech_captures_and_the_session_gets_the_digits_and_audio()
    {
        var sipp = ExternalTool.Require("sipp", "sip-tester");
        await using var session = RtpSessionTests.OpenLoopback();
        session.Apply(new NegotiatedAudio { Codec = AudioCodec.Pcma, Codecs = [AudioCodec.Pcma], TelephoneEventPayloadType = 101, Direction = SdpDirection.SendRecv });
        var sink = new RecordingSink();
        session.AudioSink = sink;
        session.Start(_pacer);
        using var uas = new MiniUas(session.LocalEndPoint.Port);
        var scenario = Path.Combine(_directory, "play.xml");
        await File.WriteAllTextAsync(scenario, Scenario);
        var uasTask = uas.RunAsync(Timeout);

        var startInfo = new ProcessStartInfo(sipp)
        {
            ArgumentList =
            {
                $"127.0.0.1:{uas.Port}", "-sf", scenario, "-m", "1", "-i", "127.0.0.1", "-p", FreePorts.Udp().ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-mi", "127.0.0.1", "-mp", FreePorts.Udp().ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-nostdin", "-timeout", "50s", "-timeout_error",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Timeout);
        await process.WaitForExitAsync(deadline.Token);
        await uasTask;

        Assert.True(process.ExitCode == 0, $"sipp exited {process.ExitCode}: {await errors}\n{await output}");
        var digits = new List<DtmfDigit>();
        while (session.Digits.TryRead(out var digit))
        {
            digits.Add(digit);
        }

        Assert.Equal("73", string.Concat(digits.Select(d => d.Digit)));
        // Playout runs in real time behind the jitter buffer, so the speech may still be coming out after sipp ends and
        // its first frames can be the capture's quiet start: take frames until they are audible or no more come.
        await sink.WaitForAudioFramesAsync(20, Timeout);
        while (TestAudio.Rms(sink.Audio()) <= 200)
        {
            try
            {
                await sink.WaitForAudioFramesAsync(1, TimeSpan.FromSeconds(2));
            }
            catch (TimeoutException)
            {
                break;
            }
        }

        Assert.True(TestAudio.Rms(sink.Audio()) > 200, $"sipp's speech capture should play as audible audio ({sink.AudioFrames} frames, RMS {TestAudio.Rms(sink.Audio()):F0})");
        Assert.True(session.GetStats().PacketsReceived > 30);
    }

    private const string Scenario = """
        <?xml version="1.0" encoding="ISO-8859-1" ?>
        <scenario name="play sipp's captures at the test UAS">
          <send retrans="500">
            <![CDATA[
              INVITE sip:rtp@[remote_ip]:[remote_port] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
              To: <sip:rtp@[remote_ip]:[remote_port]>
              Call-ID: [call_id]
              CSeq: 1 INVITE
              Contact: sip:sipp@[local_ip]:[local_port]
              Max-Forwards: 70
              Content-Type: application/sdp
              Content-Length: [len]

              v=0
              o=sipp 1 1 IN IP[local_ip_type] [local_ip]
              s=-
              c=IN IP[media_ip_type] [media_ip]
              t=0 0
              m=audio [media_port] RTP/AVP 8 101
              a=rtpmap:8 PCMA/8000
              a=rtpmap:101 telephone-event/8000
              a=fmtp:101 0-15
            ]]>
          </send>
          <recv response="200" rtd="true"/>
          <send>
            <![CDATA[
              ACK sip:rtp@[remote_ip]:[remote_port] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
              To: <sip:rtp@[remote_ip]:[remote_port]>[peer_tag_param]
              Call-ID: [call_id]
              CSeq: 1 ACK
              Contact: sip:sipp@[local_ip]:[local_port]
              Max-Forwards: 70
              Content-Length: 0
            ]]>
          </send>
          <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_7.pcap"/></action></nop>
          <pause milliseconds="500"/>
          <nop><action><exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_3.pcap"/></action></nop>
          <pause milliseconds="500"/>
          <nop><action><exec play_pcap_audio="/usr/share/sip-tester/g711a.pcap"/></action></nop>
          <pause milliseconds="1500"/>
          <send retrans="500">
            <![CDATA[
              BYE sip:rtp@[remote_ip]:[remote_port] SIP/2.0
              Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
              From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
              To: <sip:rtp@[remote_ip]:[remote_port]>[peer_tag_param]
              Call-ID: [call_id]
              CSeq: 2 BYE
              Contact: sip:sipp@[local_ip]:[local_port]
              Max-Forwards: 70
              Content-Length: 0
            ]]>
          </send>
          <recv response="200"/>
        </scenario>
        """;

    /// <summary>Just enough of a UAS for one call: answers INVITE with SDP for the RTP session, and BYE with 200.</summary>
    private sealed class MiniUas(int rtpPort) : IDisposable
    {
        private readonly Socket _socket = Bind();

        public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

        public void Dispose() => _socket.Dispose();

        public async Task RunAsync(TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            var buffer = new byte[8192];
            while (true)
            {
                var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), deadline.Token);
                var request = Encoding.UTF8.GetString(buffer, 0, result.ReceivedBytes);
                var method = request[..request.IndexOf(' ', StringComparison.Ordinal)];
                if (method is "INVITE" or "BYE")
                {
                    var response = Respond(request, method == "INVITE");
                    await _socket.SendToAsync(Encoding.UTF8.GetBytes(response), SocketFlags.None, result.RemoteEndPoint, deadline.Token);
                }

                if (method == "BYE")
                {
                    return;
                }
            }
        }

        private string Respond(string request, bool withSdp)
        {
            var headers = request.Split("\r\n").TakeWhile(l => l.Length > 0).Skip(1).ToList();
            string Header(string name) => headers.First(h => h.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
            var to = Header("To");
            if (!to.Contains(";tag=", StringComparison.Ordinal))
            {
                to += ";tag=uas1";
            }

            var sdp = withSdp
                ? $"v=0\r\no=uas 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {rtpPort} RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\n"
                : string.Empty;
            var response = new StringBuilder("SIP/2.0 200 OK\r\n");
            foreach (var header in headers.Where(h => h.StartsWith("Via:", StringComparison.OrdinalIgnoreCase)))
            {
                response.Append(header).Append("\r\n");
            }

            response.Append(Header("From")).Append("\r\n").Append(to).Append("\r\n").Append(Header("Call-ID")).Append("\r\n").Append(Header("CSeq")).Append("\r\n");
            response.Append($"Contact: <sip:uas@127.0.0.1:{Port}>\r\n");
            if (withSdp)
            {
                response.Append("Content-Type: application/sdp\r\n");
            }

            response.Append($"Content-Length: {Encoding.UTF8.GetByteCount(sdp)}\r\n\r\n").Append(sdp);
            return response.ToString();
        }

        private static Socket Bind()
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            return socket;
        }
    }
}
