using System.Threading.Channels;
using Telephony.Sip.Rtp;

namespace Telephony.Sip.Tests.Rtp;

/// <summary>An <see cref="IAudioSink"/> that keeps every frame and lets a test wait until enough audio arrived.</summary>
internal sealed class RecordingSink : IAudioSink
{
    private readonly Lock _gate = new();
    private readonly List<short> _audio = [];
    private readonly Channel<bool> _frames = Channel.CreateUnbounded<bool>();

    public int AudioFrames { get; private set; }

    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        lock (_gate)
        {
            if (hasAudio)
            {
                _audio.AddRange(frame);
                AudioFrames++;
                _frames.Writer.TryWrite(true);
            }
        }
    }

    public short[] Audio()
    {
        lock (_gate)
        {
            return [.. _audio];
        }
    }

    public async Task WaitForAudioFramesAsync(int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        for (var i = 0; i < count; i++)
        {
            try
            {
                await _frames.Reader.ReadAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"only {i} of {count} audio frames arrived within {timeout}");
            }
        }
    }
}
