using System.Net;
using Telephony.Sip.Calls;
using Telephony.Sip.Rtp;
using Telephony.Sip.Transport;
using Telephony.Testing;

namespace Telephony.Sip.Tests.Interop;

/// <summary>RTP from sipp's bundled pcaps (play_pcap_audio, needs root) into a call our UAS answered.</summary>
public sealed class SippMediaTests
{
    [Fact]
    public async Task Sipp_plays_g711_and_rfc4733_digit_into_our_answered_call()
    {
        await using var agent = new SipUserAgent(new SipUserAgentOptions
        {
            Listen = [new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0))],
            Media = new RtpSessionOptions { LocalAddress = IPAddress.Loopback },
        });
        var sink = new CountingSink();
        var digit = new TaskCompletionSource<char>(TaskCreationOptions.RunContinuationsAsynchronously);
        var codec = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.IncomingCall += call =>
        {
            call.Media!.AudioSink = sink;
            call.DtmfReceived += (_, d) => digit.TrySetResult(d);
            call.Answered += c => codec.TrySetResult(c.Audio!.Codec.EncodingName);
            call.Answer();
        };

        var result = await Sipp.RunAsync(
            [$"127.0.0.1:{agent.LocalEndPoint().Address.Port}", "-sf", Sipp.Scenario("uac_pcap"), "-mi", "127.0.0.1", .. Sipp.Common(FreePorts.Udp())],
            TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("PCMA", await codec.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal('5', await digit.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(sink.AudioFrames > 150, $"only {sink.AudioFrames} frames of received audio");
    }

    private sealed class CountingSink : IAudioSink
    {
        private int _audioFrames;

        public int AudioFrames => Volatile.Read(ref _audioFrames);

        public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
        {
            if (hasAudio)
            {
                Interlocked.Increment(ref _audioFrames);
            }
        }
    }
}
