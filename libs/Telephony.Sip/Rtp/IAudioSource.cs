namespace Telephony.Sip.Rtp;

/// <summary>Supplies the audio an RTP session sends: one 20 ms frame (160 samples of 8 kHz PCM16) per pacer tick.</summary>
public interface IAudioSource
{
    /// <summary>Fills <paramref name="frame"/> (160 samples, cleared beforehand); returns false when there is nothing to play (silence is sent).</summary>
    bool ReadFrame(Span<short> frame);
}

/// <summary>Receives the audio an RTP session played out of its jitter buffer: one 20 ms frame per pacer tick.</summary>
public interface IAudioSink
{
    /// <param name="frame">160 samples of 8 kHz PCM16.</param>
    /// <param name="hasAudio">False when the frame is silence or loss concealment rather than received audio.</param>
    void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio);
}
