using Telephony.Sip.Rtp;

namespace Telephony.Sip.Tests.Rtp;

/// <summary>An <see cref="IAudioSink"/> that notes, for every frame, its first sample, whether it carried audio and the thread that wrote it.</summary>
internal sealed class PlayoutLog : IAudioSink
{
    private readonly Lock _gate = new();
    private readonly List<(short Level, bool HasAudio, int Thread)> _frames = [];

    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        lock (_gate)
        {
            _frames.Add((frame[0], hasAudio, Environment.CurrentManagedThreadId));
        }
    }

    public IReadOnlyList<(short Level, bool HasAudio, int Thread)> Frames()
    {
        lock (_gate)
        {
            return [.. _frames];
        }
    }
}
