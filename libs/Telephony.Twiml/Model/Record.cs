namespace Telephony.Twiml.Model;

/// <summary>&lt;Record&gt;: record the caller until silence, a finish key, maxLength or hang-up.</summary>
public sealed record Record : TwimlVerb, IHasAction
{
    public override string Name => "Record";

    /// <summary>Null means the current document's URL, as Twilio does.</summary>
    public string? Action { get; init; }

    public string Method { get; init; } = "POST";

    /// <summary>Seconds of silence that end the recording; 0 disables silence detection.</summary>
    public int Timeout { get; init; } = 5;

    public string FinishOnKey { get; init; } = "1234567890*#";

    public int MaxLength { get; init; } = 3600;

    public bool PlayBeep { get; init; } = true;

    /// <summary>"trim-silence" or "do-not-trim".</summary>
    public string Trim { get; init; } = "trim-silence";

    public string? RecordingStatusCallback { get; init; }

    public string RecordingStatusCallbackMethod { get; init; } = "POST";

    public string RecordingStatusCallbackEvent { get; init; } = "completed";

    public bool Transcribe { get; init; }

    public string? TranscribeCallback { get; init; }
}
