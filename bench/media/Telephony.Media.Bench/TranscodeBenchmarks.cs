using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Telephony.Media.Formats;
using Telephony.Media.Transcoding;

namespace Telephony.Media.Bench;

/// <summary>60 s of 44.1 kHz stereo 16-bit WAV → 8 kHz mono μ-law WAV: our pipeline vs ffmpeg (one thread each).</summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 7)]
[MemoryDiagnoser]
public class TranscodeBenchmarks
{
    private const int Seconds = 60;
    private byte[] _wav = [];
    private string _inputPath = string.Empty;
    private string _outputPath = string.Empty;
    private string _ffmpeg = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        const int Rate = 44100;
        var random = new Random(42);
        var samples = new float[Rate * Seconds];
        for (var n = 0; n < samples.Length; n++)
        {
            // Speech-band tone plus out-of-band content and noise: the filter does real work.
            samples[n] = (float)((0.3 * Math.Sin(2 * Math.PI * 440 * n / Rate)) + (0.2 * Math.Sin(2 * Math.PI * 6000 * n / Rate)) + (0.05 * ((random.NextDouble() * 2) - 1)));
        }

        var stereo = new byte[samples.Length * 4];
        for (var n = 0; n < samples.Length; n++)
        {
            var value = (short)(samples[n] * 32767);
            BitConverter.TryWriteBytes(stereo.AsSpan(n * 4), value);
            BitConverter.TryWriteBytes(stereo.AsSpan((n * 4) + 2), value);
        }

        using var memory = new MemoryStream();
        WriteStereoHeader(memory, stereo.Length, Rate);
        memory.Write(stereo);
        _wav = memory.ToArray();
        var directory = Directory.CreateTempSubdirectory("media-bench-");
        _inputPath = Path.Combine(directory.FullName, "in.wav");
        _outputPath = Path.Combine(directory.FullName, "out.wav");
        File.WriteAllBytes(_inputPath, _wav);
        _ffmpeg = ExecutableLocator.Find("ffmpeg") ?? throw new InvalidOperationException("ffmpeg is not installed (apt-get install ffmpeg)");
    }

    [Benchmark(Baseline = true, Description = "Telephony.Media (in memory)")]
    public int Ours()
    {
        using var stream = new MemoryStream(_wav, writable: false);
        return TelephonyEncoder.Encode(WavReader.Open(stream), TelephonyEncoding.MuLaw).ToWavBytes().Length;
    }

    [Benchmark(Description = "ffmpeg -threads 1 (file to file)")]
    public int Ffmpeg()
    {
        var start = new ProcessStartInfo(_ffmpeg) { UseShellExecute = false };
        foreach (var argument in new[] { "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-threads", "1", "-i", _inputPath, "-ac", "1", "-ar", "8000", "-acodec", "pcm_mulaw", _outputPath })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static void WriteStereoHeader(Stream stream, int dataBytes, int rate)
    {
        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        BitConverter.TryWriteBytes(header.AsSpan(4), 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BitConverter.TryWriteBytes(header.AsSpan(16), 16);
        BitConverter.TryWriteBytes(header.AsSpan(20), (short)1);
        BitConverter.TryWriteBytes(header.AsSpan(22), (short)2);
        BitConverter.TryWriteBytes(header.AsSpan(24), rate);
        BitConverter.TryWriteBytes(header.AsSpan(28), rate * 4);
        BitConverter.TryWriteBytes(header.AsSpan(32), (short)4);
        BitConverter.TryWriteBytes(header.AsSpan(34), (short)16);
        "data"u8.CopyTo(header.AsSpan(36));
        BitConverter.TryWriteBytes(header.AsSpan(40), dataBytes);
        stream.Write(header);
    }
}
