using Microsoft.Extensions.Logging;
using Telephony.Media.Tones;
using Telephony.Sip.Calls;
using Telephony.Sip.Rtp;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// What an answered caller hears while &lt;Dial&gt; rings: the ringTone's ringback, from this node. A caller not answered
/// yet (answerOnBridge) hears its own phone's ringing instead, as the 180 tells it to. Disposing gives the caller's
/// stream back what it was sending before, unless something else (the bridge) has taken it over meanwhile.
/// </summary>
internal sealed partial class Ringback : IDisposable
{
    private readonly RtpSession _media;
    private readonly IAudioSource? _previous;
    private readonly Source _source;

    private Ringback(RtpSession media, ToneCadence cadence)
    {
        _media = media;
        _previous = media.AudioSource;
        _source = new Source(new ToneGenerator(cadence));
        media.AudioSource = _source;
    }

    /// <summary>Starts ringback on an answered caller; null when there is nothing to play it on.</summary>
    public static Ringback? Start(SipCall caller, string? ringTone, string callSid, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!string.IsNullOrWhiteSpace(ringTone) && !RingbackTones.IsKnown(ringTone))
        {
            LogUnknownRingTone(logger, callSid, ringTone, RingbackTones.DefaultName);
        }

        return caller.State == CallState.Answered && caller.Media is { } media ? new Ringback(media, RingbackTones.For(ringTone)) : null;
    }

    public void Dispose()
    {
        if (ReferenceEquals(_media.AudioSource, _source))
        {
            _media.AudioSource = _previous;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: 13220 Dial: invalid ringTone value {RingTone}; playing {Default}")]
    private static partial void LogUnknownRingTone(ILogger logger, string callSid, string ringTone, string @default);

    private sealed class Source(ToneGenerator generator) : IAudioSource
    {
        public bool ReadFrame(Span<short> frame)
        {
            generator.Read(frame);
            return true;
        }
    }
}
