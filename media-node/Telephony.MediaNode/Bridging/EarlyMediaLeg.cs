using Telephony.Sip.Calls;
using Telephony.Sip.Rtp;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// One Dial leg's early media on its way to the caller: what the leg plays out (its 18x SDP opened the stream) goes into a
/// small pipe the caller's <see cref="Ringback"/> reads, so PCMU↔PCMA crosses as PCM the way the bridge does it. It is heard
/// only while the leg is unanswered (an answered callee is heard through the bridge, after its whisper) and its audio keeps
/// coming: a second without packets (a carrier that ended its announcement) gives the caller the node's tone back.
/// </summary>
internal sealed class EarlyMediaLeg : IAudioSink
{
    private const int QuietTicksBeforeTone = 50;
    private readonly FramePipe _pipe = new();
    private readonly RtpSession _media;
    private readonly IAudioSink? _previous;
    private int _quietTicks = QuietTicksBeforeTone;

    private EarlyMediaLeg(SipCall call, RtpSession media)
    {
        Call = call;
        _media = media;
        _previous = media.AudioSink;
        media.AudioSink = this;
    }

    public SipCall Call { get; }

    /// <summary>Unanswered, not ended, and audio arrived within the last second.</summary>
    public bool IsHeard => Call.State == CallState.Early && Volatile.Read(ref _quietTicks) < QuietTicksBeforeTone;

    /// <summary>Takes the leg's playout; null when the leg has no media.</summary>
    public static EarlyMediaLeg? Attach(SipCall call) => call.Media is { } media ? new EarlyMediaLeg(call, media) : null;

    /// <summary>Called on the leg's pacer tick with each 20 ms of playout.</summary>
    public void WriteFrame(ReadOnlySpan<short> frame, bool hasAudio)
    {
        if (!hasAudio)
        {
            var quiet = Volatile.Read(ref _quietTicks);
            if (quiet < QuietTicksBeforeTone)
            {
                Volatile.Write(ref _quietTicks, quiet + 1);
            }

            return;
        }

        Volatile.Write(ref _quietTicks, 0);
        _pipe.WriteFrame(frame, hasAudio: true);
    }

    /// <summary>The next frame for the caller; false while a packet is late (the caller gets silence, not the tone).</summary>
    public bool ReadFrame(Span<short> frame) => _pipe.ReadFrame(frame);

    /// <summary>Gives the leg its playout back (before the bridge takes it), unless something else took it meanwhile.</summary>
    public void Detach()
    {
        if (ReferenceEquals(_media.AudioSink, this))
        {
            _media.AudioSink = _previous;
        }
    }
}
