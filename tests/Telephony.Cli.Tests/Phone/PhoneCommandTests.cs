using System.Text;
using Telephony.Cli.Phone;
using Telephony.Media;
using Telephony.Media.Formats;
using Telephony.Testing;

namespace Telephony.Cli.Tests.Phone;

/// <summary>`telephony phone listen` and `telephony phone call` against each other on loopback, with real RTP.</summary>
public sealed class PhoneCommandTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Call_to_an_echoing_listener_sends_digits_and_records_its_own_audio_back()
    {
        var directory = Directory.CreateTempSubdirectory("phone-");
        try
        {
            var tone = Path.Combine(directory.FullName, "tone.wav");
            WriteTone(tone, seconds: 3);
            var recording = Path.Combine(directory.FullName, "back.wav");
            var port = FreePorts.Udp();
            using var stopListener = new CancellationTokenSource();
            var listenerOutput = new EventWriter();
            var listener = PhoneCommand.RunAsync(
                ["listen", "--sip", $"udp:127.0.0.1:{port}", "--answer-after", "0.2", "--echo"], listenerOutput, TextWriter.Null, stopListener.Token);
            await listenerOutput.WaitForAsync("LISTENING", Wait);

            var callerOutput = new EventWriter();
            var exit = await PhoneCommand.RunAsync(
                ["call", $"sip:echo@127.0.0.1:{port}", "--digits", "12#", "--play", tone, "--record", recording, "--hangup-after", "3"],
                callerOutput, TextWriter.Null, CancellationToken.None).WaitAsync(Wait);

            Assert.True(exit == 0, callerOutput.Text);
            Assert.Contains("RINGING 180", callerOutput.Text, StringComparison.Ordinal);
            Assert.Contains("ANSWERED PCMU", callerOutput.Text, StringComparison.Ordinal);
            await listenerOutput.WaitForAsync("DTMF #", Wait);
            await listenerOutput.WaitForAsync("BYE 200", Wait);
            Assert.Contains("DTMF 1", listenerOutput.Text, StringComparison.Ordinal);
            Assert.Contains("DTMF 2", listenerOutput.Text, StringComparison.Ordinal);
            Assert.Contains("INVITE sip:phone@127.0.0.1", listenerOutput.Text, StringComparison.Ordinal);

            var echoed = WavFile.Read(recording);
            Assert.Equal(8000, echoed.SampleRate);
            var loud = echoed.Samples.Count(s => Math.Abs(s) > 0.1f);
            Assert.True(loud > 4000, $"expected the tone echoed back, got {loud} loud samples of {echoed.Samples.Length}");

            await stopListener.CancelAsync();
            Assert.Equal(0, await listener.WaitAsync(Wait));
            Assert.Contains("STOPPED", listenerOutput.Text, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Rejecting_listener_makes_the_call_fail_busy()
    {
        var port = FreePorts.Udp();
        using var stopListener = new CancellationTokenSource();
        var listenerOutput = new EventWriter();
        var listener = PhoneCommand.RunAsync(["listen", "--sip", $"udp:127.0.0.1:{port}", "--reject", "486"], listenerOutput, TextWriter.Null, stopListener.Token);
        await listenerOutput.WaitForAsync("LISTENING", Wait);
        var callerOutput = new EventWriter();
        var exit = await PhoneCommand.RunAsync(["call", $"sip:x@127.0.0.1:{port}"], callerOutput, TextWriter.Null, CancellationToken.None).WaitAsync(Wait);
        Assert.Equal(1, exit);
        Assert.Contains("END 486 Busy Here status=busy", callerOutput.Text, StringComparison.Ordinal);
        await listenerOutput.WaitForAsync("REJECTED 486", Wait);
        await stopListener.CancelAsync();
        await listener.WaitAsync(Wait);
    }

    [Theory]
    [InlineData("dial")]
    [InlineData("call")]
    [InlineData("listen --sip nowhere")]
    [InlineData("listen --echo --play a.wav")]
    public async Task Bad_arguments_print_usage_and_exit_2(string arguments)
    {
        var error = new StringWriter();
        Assert.Equal(2, await PhoneCommand.RunAsync(arguments.Split(' '), TextWriter.Null, error, CancellationToken.None));
        Assert.Contains("usage:", error.ToString(), StringComparison.Ordinal);
    }

    private static void WriteTone(string path, int seconds)
    {
        var samples = new float[8000 * seconds];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = 0.5f * MathF.Sin(2 * MathF.PI * 440 * i / 8000f);
        }

        using var file = File.Create(path);
        WavFile.Write(file, new AudioBuffer(8000, samples));
    }

    /// <summary>Collects output lines and lets a test wait for one to appear.</summary>
    private sealed class EventWriter : TextWriter
    {
        private readonly StringBuilder _text = new();
        private readonly List<(string Needle, TaskCompletionSource Seen)> _waiters = [];

        public override Encoding Encoding => Encoding.UTF8;

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public override void Write(char value)
        {
            lock (_text)
            {
                _text.Append(value);
                if (value == '\n')
                {
                    var text = _text.ToString();
                    foreach (var (needle, seen) in _waiters)
                    {
                        if (text.Contains(needle, StringComparison.Ordinal))
                        {
                            seen.TrySetResult();
                        }
                    }
                }
            }
        }

        public Task WaitForAsync(string needle, TimeSpan timeout)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_text)
            {
                if (_text.ToString().Contains(needle, StringComparison.Ordinal))
                {
                    return Task.CompletedTask;
                }

                _waiters.Add((needle, seen));
            }

            return seen.Task.WaitAsync(timeout);
        }
    }
}
