namespace Telephony.Twiml.Model;

/// <summary>&lt;Gather&gt;: collect DTMF (or speech) while its nested Say/Play/Pause prompts run.</summary>
public sealed record Gather : TwimlVerb, IHasAction
{
    public override string Name => "Gather";

    /// <summary>Null means the current document's URL, as Twilio does.</summary>
    public string? Action { get; init; }

    public string Method { get; init; } = "POST";

    /// <summary>Seconds to wait for the first and between digits.</summary>
    public int Timeout { get; init; } = 5;

    public string FinishOnKey { get; init; } = "#";

    /// <summary>Null: unlimited, ended by finishOnKey or timeout.</summary>
    public int? NumDigits { get; init; }

    /// <summary>"dtmf", "speech" or "dtmf speech".</summary>
    public string Input { get; init; } = "dtmf";

    public bool ActionOnEmptyResult { get; init; }

    /// <summary>Seconds of silence ending speech input, or "auto"; null uses <see cref="Timeout"/>.</summary>
    public string? SpeechTimeout { get; init; }

    public int MaxSpeechTime { get; init; } = 60;

    public bool BargeIn { get; init; } = true;

    public string Language { get; init; } = "en-US";

    public string? Hints { get; init; }

    public bool ProfanityFilter { get; init; } = true;

    public string? SpeechModel { get; init; }

    public bool Enhanced { get; init; }

    public string? PartialResultCallback { get; init; }

    public string PartialResultCallbackMethod { get; init; } = "POST";

    public IReadOnlyList<TwimlVerb> Prompts { get; init; } = [];

    public bool AcceptsDtmf => Input.Contains("dtmf", StringComparison.Ordinal);
}
