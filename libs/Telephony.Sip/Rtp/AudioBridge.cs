namespace Telephony.Sip.Rtp;

/// <summary>
/// Connects the audio of two RTP sessions (a B2BUA's two legs): what one leg plays out of its jitter buffer is what
/// the other leg sends. Audio crosses as 8 kHz PCM, so each leg encodes with its own negotiated codec and PCMU↔PCMA
/// transcoding needs nothing more. Disposing restores the sources and sinks the sessions had before.
/// </summary>
public sealed class AudioBridge : IDisposable
{
    private readonly RtpSession _first;
    private readonly RtpSession _second;
    private readonly IAudioSource? _firstSource;
    private readonly IAudioSink? _firstSink;
    private readonly IAudioSource? _secondSource;
    private readonly IAudioSink? _secondSink;
    private int _disposed;

    private AudioBridge(RtpSession first, RtpSession second)
    {
        _first = first;
        _second = second;
        _firstSource = first.AudioSource;
        _firstSink = first.AudioSink;
        _secondSource = second.AudioSource;
        _secondSink = second.AudioSink;
        FirstToSecond = new FramePipe();
        SecondToFirst = new FramePipe();
    }

    /// <summary>Audio heard on the first leg, on its way to the second.</summary>
    public FramePipe FirstToSecond { get; }

    /// <summary>Audio heard on the second leg, on its way to the first.</summary>
    public FramePipe SecondToFirst { get; }

    public static AudioBridge Connect(RtpSession first, RtpSession second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var bridge = new AudioBridge(first, second);
        first.AudioSink = bridge.FirstToSecond;
        second.AudioSource = bridge.FirstToSecond;
        second.AudioSink = bridge.SecondToFirst;
        first.AudioSource = bridge.SecondToFirst;
        return bridge;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _first.AudioSource = _firstSource;
        _first.AudioSink = _firstSink;
        _second.AudioSource = _secondSource;
        _second.AudioSink = _secondSink;
    }
}
