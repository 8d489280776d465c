using System.Diagnostics;
using Telephony.Media;
using Telephony.Media.Codecs;
using Telephony.Media.Formats;
using Telephony.Media.Transcoding;
using Telephony.Testing;

namespace Telephony.Cli.Tests.Media;

public sealed class MediaCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("telephony-cli-media-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static async Task FfmpegAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(ExternalTool.Require("ffmpeg", "ffmpeg")) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", "-nostdin", "-y", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, stderr);
    }

    private static float[] ReadTelephonyWav(string path, SampleEncoding expected)
    {
        using var stream = File.OpenRead(path);
        var reader = WavReader.Open(stream);
        Assert.Equal(new WavFormat(expected, 8000, 1), reader.Format);
        return reader.ReadToEnd().Samples;
    }

    [Theory]
    [InlineData("tone.mp3", "--ulaw", SampleEncoding.MuLaw)]
    [InlineData("tone.wav", "--alaw", SampleEncoding.ALaw)]
    [InlineData("tone.flac", "--ulaw", SampleEncoding.MuLaw)]
    public async Task Convert_writes_an_8_kHz_telephony_wav(string inputName, string flag, SampleEncoding encoding)
    {
        var input = PathOf(inputName);
        await FfmpegAsync("-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*440*t)|0.5*sin(2*PI*440*t):s=44100:d=1.5", input);
        var output = PathOf("out.wav");

        var (exit, stdout, stderr) = await RunAsync("media", "convert", input, output, flag);

        Assert.True(exit == 0, stderr);
        Assert.Contains("8000 Hz", stdout, StringComparison.Ordinal);
        var samples = ReadTelephonyWav(output, encoding);
        Assert.InRange(samples.Length, 11900, 12200);

        // 440 Hz survives at its level (Goertzel over the steady middle second).
        var middle = samples.AsSpan(2000, 8000);
        var coefficient = 2 * Math.Cos(2 * Math.PI * 440 / 8000);
        double s1 = 0, s2 = 0;
        foreach (var x in middle)
        {
            (s1, s2) = (x + (coefficient * s1) - s2, s1);
        }

        var amplitude = 2 * Math.Sqrt((s1 * s1) + (s2 * s2) - (coefficient * s1 * s2)) / middle.Length;
        Assert.InRange(amplitude, 0.45, 0.55);
    }

    [Fact]
    public async Task Say_writes_speech_in_the_requested_voice()
    {
        var output = PathOf("hello.wav");
        var (exit, stdout, stderr) = await RunAsync("media", "say", "Hello <break time=\"500ms\"/> world", output, "--voice", "woman", "--language", "en-GB");

        Assert.True(exit == 0, stderr);
        Assert.Contains("μ-law", stdout, StringComparison.Ordinal);
        var samples = ReadTelephonyWav(output, SampleEncoding.MuLaw);
        Assert.InRange(samples.Length, 8000, 8000 * 6);
        Assert.True(samples.Max(Math.Abs) > 0.1, "speech is silent");
    }

    [Fact]
    public async Task Say_with_flite_and_alaw()
    {
        var output = PathOf("flite.wav");
        var (exit, _, stderr) = await RunAsync("media", "say", "Testing flite", output, "--engine", "flite", "--voice", "man", "--alaw");
        Assert.True(exit == 0, stderr);
        Assert.NotEmpty(ReadTelephonyWav(output, SampleEncoding.ALaw));
    }

    [Fact]
    public async Task Bad_input_gives_a_clear_error_and_no_crash()
    {
        var html = PathOf("page.mp3");
        await File.WriteAllTextAsync(html, "<html><body>not audio</body></html>");
        var empty = PathOf("empty.wav");
        await File.WriteAllBytesAsync(empty, []);

        var (exit, _, stderr) = await RunAsync("media", "convert", html, PathOf("x.wav"));
        Assert.Equal(1, exit);
        Assert.Contains("12300", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await RunAsync("media", "convert", empty, PathOf("x.wav"));
        Assert.Equal(1, exit);
        Assert.Contains("empty", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await RunAsync("media", "convert", PathOf("missing.wav"), PathOf("x.wav"));
        Assert.Equal(1, exit);
        Assert.Contains("does not exist", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(PathOf("x.wav")));
    }

    [Fact]
    public async Task Usage_errors_exit_with_2()
    {
        Assert.Equal(2, (await RunAsync("media")).Exit);
        Assert.Equal(2, (await RunAsync("media", "convert", "only-one-argument")).Exit);
        Assert.Equal(2, (await RunAsync("media", "say", "text", "out.wav", "--voice")).Exit);
        Assert.Equal(2, (await RunAsync("media", "say", "text", "out.wav", "--bogus")).Exit);
        Assert.Equal(2, (await RunAsync("media", "dance")).Exit);
        var engine = await RunAsync("media", "say", "text", PathOf("x.wav"), "--engine", "bogus");
        Assert.Equal(2, engine.Exit);
        Assert.Contains("unknown TTS engine", engine.Error, StringComparison.Ordinal);
        var help = await RunAsync("media", "--help");
        Assert.Equal(0, help.Exit);
        Assert.Contains("convert", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Converting_a_telephony_wav_again_is_lossless()
    {
        var first = PathOf("first.wav");
        var codes = Enumerable.Range(0, 8000).Select(i => G711.LinearToMuLaw((short)(10000 * Math.Sin(i * 0.3)))).ToArray();
        await File.WriteAllBytesAsync(first, WavFile.ToBytes(codes, 8000, SampleEncoding.MuLaw));
        var second = PathOf("second.wav");

        Assert.Equal(0, (await RunAsync("media", "convert", first, second)).Exit);

        Assert.Equal(codes, TelephonyAudio.FromWavBytes(await File.ReadAllBytesAsync(second)).Payload);
    }
}
