using System.Collections.Concurrent;
using Telephony.Media;
using Telephony.Media.Formats;
using Telephony.Sip.Rtp;

namespace Telephony.Cli.Phone;

/// <summary>Plays 8 kHz samples from a WAV file, 20 ms per frame, then silence.</summary>
internal sealed class WavPlayer(short[] samples) : IAudioSource
{
    private int _position;

    public bool Finished => _position >= samples.Length;

    public static WavPlayer Load(string path) => new(LoadSamples(path));

    public static short[] LoadSamples(string path)
    {
        var audio = WavFile.Read(path);
        if (audio.SampleRate != 8000)
        {
            throw new InvalidDataException($"{path}: {audio.SampleRate} Hz; phone plays 8 kHz mono WAV (convert with `telephony media convert`)");
        }

        return [.. audio.Samples.Select(s => (short)Math.Clamp(s * 32767f, short.MinValue, short.MaxValue))];
    }

    public bool ReadFrame(Span<short> frame)
    {
        var start = Interlocked.Add(ref _position, frame.Length) - frame.Length;
        if (start >= samples.Length)
        {
            return false;
        }

        var count = Math.Min(frame.Length, samples.Length - start);
        samples.AsSpan(start, count).CopyTo(frame);
        return true;
    }
}

/// <summary>Collects received audio and writes it as an 8 kHz PCM16 WAV.</summary>
internal sealed class WavRecorder : IAudioSink
{
    private readonly List<short> _samples = [];

    public int SampleCount
    {
        get
        {
            lock (_samples)
            {
                return _samples.Count;
            }
        }
    }

    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        lock (_samples)
        {
            foreach (var sample in frame)
            {
                _samples.Add(sample);
            }
        }
    }

    public void Save(string path)
    {
        float[] floats;
        lock (_samples)
        {
            floats = [.. _samples.Select(s => s / 32768f)];
        }

        using var file = File.Create(path);
        WavFile.Write(file, new AudioBuffer(8000, floats));
    }
}

/// <summary>Sends back what it receives (a loopback of the far end's audio), 20 ms frames.</summary>
internal sealed class EchoAudio : IAudioSource, IAudioSink
{
    private const int MaxQueuedFrames = 50;
    private readonly ConcurrentQueue<short[]> _frames = new();

    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        if (hasAudio && _frames.Count < MaxQueuedFrames)
        {
            _frames.Enqueue(frame.ToArray());
        }
    }

    public bool ReadFrame(Span<short> frame)
    {
        if (!_frames.TryDequeue(out var queued))
        {
            return false;
        }

        queued.AsSpan(0, Math.Min(queued.Length, frame.Length)).CopyTo(frame);
        return true;
    }
}

/// <summary>Fans one sink out to two (echo plus recording).</summary>
internal sealed class TeeSink(IAudioSink first, IAudioSink second) : IAudioSink
{
    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        first.WriteFrame(frame, hasAudio);
        second.WriteFrame(frame, hasAudio);
    }
}
