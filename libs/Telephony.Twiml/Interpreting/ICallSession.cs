namespace Telephony.Twiml.Interpreting;

/// <summary>
/// The live call a program runs against (the media node's SIP/RTP call, or the simulator's scripted caller).
/// Every wait (audio, digits, recording, dialing) happens behind this port, on the session's clock.
/// </summary>
public interface ICallSession
{
    bool IsAnswered { get; }

    Task AnswerAsync(CancellationToken cancellationToken);

    /// <summary>Plays an audio URL (or a media-layer address) once.</summary>
    Task<PromptOutcome> PlayAsync(string url, bool stopOnDigit, CancellationToken cancellationToken);

    /// <summary>Speaks text (or SSML) once.</summary>
    Task<PromptOutcome> SayAsync(SpeechRequest speech, bool stopOnDigit, CancellationToken cancellationToken);

    Task<PromptOutcome> PauseAsync(TimeSpan length, bool stopOnDigit, CancellationToken cancellationToken);

    /// <summary>Sends DTMF to the far end; 'w' waits half a second.</summary>
    Task<PromptOutcome> SendDigitsAsync(string digits, CancellationToken cancellationToken);

    /// <summary>Drops digits the caller pressed before input collection started.</summary>
    void DiscardPendingDigits();

    /// <summary>The next digit the caller presses (buffered ones first), or a timeout, or the caller hanging up.</summary>
    Task<DigitRead> ReadDigitAsync(TimeSpan timeout, CancellationToken cancellationToken);

    Task<RecordingOutcome> RecordAsync(RecordingOptions options, CancellationToken cancellationToken);

    Task<DialOutcome> DialAsync(DialPlan plan, CancellationToken cancellationToken);

    Task HangupAsync(CancellationToken cancellationToken);

    /// <summary>Refuses an unanswered incoming call (SIP 486 for busy, 603 otherwise).</summary>
    Task RejectAsync(string reason, CancellationToken cancellationToken);
}

public enum PromptOutcome
{
    Completed,

    /// <summary>The caller pressed a key; the digit stays buffered for the next <see cref="ICallSession.ReadDigitAsync"/>.</summary>
    Interrupted,
    CallerHungUp,
}

public sealed record SpeechRequest(string Text, string? Ssml, string Voice, string Language);

/// <summary>Digit null and not hung up means the timeout passed.</summary>
public sealed record DigitRead(char? Digit, bool CallerHungUp)
{
    public static DigitRead TimedOut { get; } = new(null, false);

    public static DigitRead HungUp { get; } = new(null, true);
}

public sealed record RecordingOptions(
    TimeSpan SilenceTimeout, TimeSpan MaxLength, string FinishOnKey, bool PlayBeep, bool TrimSilence, RecordingStatusCallback? StatusCallback = null);

/// <summary>Where recording status events go (an absolute URL), how, and which: in-progress, completed, absent.</summary>
public sealed record RecordingStatusCallback(string Url, string Method, IReadOnlyList<string> Events)
{
    public static readonly IReadOnlyList<string> KnownEvents = ["in-progress", "completed", "absent"];

    public bool Wants(string eventName) => Events.Contains(eventName, StringComparer.OrdinalIgnoreCase);
}

/// <summary>An empty recording has no URL. <see cref="Digits"/> is the finish key pressed, or "hangup".</summary>
public sealed record RecordingOutcome(string? RecordingUrl, string? RecordingSid, TimeSpan Duration, string? Digits, bool CallerHungUp)
{
    public bool IsEmpty => RecordingUrl is null || Duration <= TimeSpan.Zero;
}

public sealed record DialPlan(
    IReadOnlyList<Model.DialTarget> Targets,
    bool Sequential,
    TimeSpan Timeout,
    string? CallerId,
    bool HangupOnStar,
    TimeSpan TimeLimit,
    bool AnswerOnBridge,
    string Record,
    string? RingTone,
    DialRecording? Recording = null);

/// <summary>
/// Dial's record attribute: from the answer (the bridge) or from the start of ringing; both parties mixed into one channel,
/// or two channels (dual: the parent call first, the dialed party second); trimmed when asked; its status callback.
/// </summary>
public sealed record DialRecording(bool FromRinging, bool DualChannel, bool TrimSilence, RecordingStatusCallback? StatusCallback);

/// <summary>
/// Status is Twilio's DialCallStatus: completed, answered, busy, no-answer, failed or canceled. A recorded Dial also has
/// its RecordingUrl, RecordingSid and RecordingDuration.
/// </summary>
public sealed record DialOutcome(
    string Status,
    string? DialCallSid,
    TimeSpan BridgedDuration,
    bool Bridged,
    bool CallerHungUp,
    string? RecordingUrl = null,
    string? RecordingSid = null,
    TimeSpan? RecordingDuration = null);
