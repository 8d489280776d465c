using Microsoft.Extensions.Logging;
using Telephony.Media.Tones;
using Telephony.Sip.Calls;
using Telephony.Sip.Rtp;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// What the caller hears while &lt;Dial&gt; rings. As Twilio documents ringTone ("if not specified, Twilio will play ringback
/// or pass ringback from the carrier, if provided"): without a ringTone (or with <c>automatic</c>, or an unknown value) the
/// callee's early media — a leg's 18x with SDP — is passed to the caller; the first leg whose early audio flows is heard
/// while it is unanswered and its audio keeps coming, then the next such leg; otherwise the node's ringback tone plays. An
/// explicit ringTone replaces the carrier's ringback: only its tone plays.
/// An answered caller hears all this at once. A caller still unanswered (answerOnBridge) hears its own phone's ringing (the
/// 180) until there is something to send: a leg's early media, or an explicit ringTone once a leg rings — then it gets
/// 183 Session Progress with the node's SDP and the audio over that early media stream (its 200 comes with the bridge).
/// Disposing gives the caller's stream back what it was sending before and every leg its playout, unless something else
/// (the bridge) has taken them over meanwhile.
/// </summary>
internal sealed partial class Ringback : IDialLegProgress, IAudioSource, IDisposable
{
    private readonly SipCall _caller;
    private readonly ToneGenerator _tone;
    private readonly bool _passCarrierRingback;
    private readonly bool _toneChosen;
    private readonly string _callSid;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private EarlyMediaLeg[] _legs = [];
    private RtpSession? _media;
    private IAudioSource? _previous;
    private bool _disposed;

    private Ringback(SipCall caller, string? ringTone, string callSid, ILogger logger)
    {
        _caller = caller;
        _tone = new ToneGenerator(RingbackTones.For(ringTone));
        _toneChosen = RingbackTones.Names.Contains(ringTone?.Trim() ?? string.Empty);
        _passCarrierRingback = !_toneChosen;
        _callSid = callSid;
        _logger = logger;
    }

    /// <summary>Starts ringback for <paramref name="caller"/>: the tone at once on an answered call; early media as legs send it.</summary>
    public static Ringback Start(SipCall caller, string? ringTone, string callSid, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!string.IsNullOrWhiteSpace(ringTone) && !RingbackTones.IsKnown(ringTone))
        {
            LogUnknownRingTone(logger, callSid, ringTone, RingbackTones.DefaultName);
        }

        var ringback = new Ringback(caller, ringTone, callSid, logger);
        if (caller.State == CallState.Answered)
        {
            ringback.Play();
        }

        return ringback;
    }

    public void LegRinging()
    {
        if (_toneChosen)
        {
            OpenCallerStream();
        }
    }

    public void LegEarlyMedia(SipCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!_passCarrierRingback)
        {
            return;
        }

        lock (_gate)
        {
            if (_disposed || _legs.Any(l => ReferenceEquals(l.Call, call)) || EarlyMediaLeg.Attach(call) is not { } leg)
            {
                return;
            }

            _legs = [.. _legs, leg];
        }

        LogEarlyMedia(_logger, _callSid, call.CallId, call.Audio?.Codec.EncodingName);
        OpenCallerStream();
    }

    /// <summary>Every 20 ms on the caller's pacer tick: the first leg whose early media is heard, else the tone.</summary>
    public bool ReadFrame(Span<short> frame)
    {
        foreach (var leg in Volatile.Read(ref _legs))
        {
            if (leg.IsHeard)
            {
                return leg.ReadFrame(frame);
            }
        }

        _tone.Read(frame);
        return true;
    }

    public void Dispose()
    {
        EarlyMediaLeg[] legs;
        RtpSession? media;
        lock (_gate)
        {
            _disposed = true;
            legs = _legs;
            media = _media;
            _legs = [];
        }

        if (media is not null && ReferenceEquals(media.AudioSource, this))
        {
            media.AudioSource = _previous;
        }

        foreach (var leg in legs)
        {
            leg.Detach();
        }
    }

    /// <summary>Plays on the caller's stream; an unanswered inbound caller first gets 183 with SDP, which opens it.</summary>
    private void OpenCallerStream()
    {
        if (_caller is { Direction: CallDirection.Inbound, State: CallState.Trying or CallState.Early, Audio: null } && !Volatile.Read(ref _disposed))
        {
            _caller.Progress();
        }

        if (_caller.State == CallState.Answered || (_caller.State == CallState.Early && _caller.Audio is not null))
        {
            Play();
        }
    }

    private void Play()
    {
        lock (_gate)
        {
            if (_disposed || _media is not null || _caller.Media is not { } media)
            {
                return;
            }

            _media = media;
            _previous = media.AudioSource;
            media.AudioSource = this;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: 13220 Dial: invalid ringTone value {RingTone}; playing {Default}")]
    private static partial void LogUnknownRingTone(ILogger logger, string callSid, string ringTone, string @default);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: early media from Dial leg {LegCallId} ({Codec}) passed to the caller")]
    private static partial void LogEarlyMedia(ILogger logger, string callSid, string legCallId, string? codec);
}
