using Telephony.Sip.Rtp;

namespace Telephony.MediaNode.Recording;

/// <summary>
/// Puts a recording beside a leg's audio sink: every frame the leg plays out still goes where it went (the bridge's
/// pipe to the other leg) and a copy goes to the recording's bounded queue, on the pacer thread without waiting.
/// </summary>
public sealed class RecordingTap(IAudioSink? next, InboundAudioCapture capture) : IAudioSink
{
    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        next?.WriteFrame(frame, hasAudio);
        capture.WriteFrame(frame, hasAudio);
    }
}
