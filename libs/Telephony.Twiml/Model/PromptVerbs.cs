namespace Telephony.Twiml.Model;

/// <summary>&lt;Say&gt;: text to speech. <see cref="Ssml"/> keeps SSML children as markup for the media layer.</summary>
public sealed record Say : TwimlVerb, IGatherPrompt
{
    public override string Name => "Say";

    public string Text { get; init; } = string.Empty;

    public string? Ssml { get; init; }

    public string Voice { get; init; } = "man";

    public string Language { get; init; } = "en-US";

    /// <summary>Times to speak; 0 means "until the call ends" (bounded by the interpreter).</summary>
    public int Loop { get; init; } = 1;
}

/// <summary>&lt;Play&gt;: an audio URL, or DTMF tones when <see cref="Digits"/> is set.</summary>
public sealed record Play : TwimlVerb, IGatherPrompt
{
    public override string Name => "Play";

    public string Url { get; init; } = string.Empty;

    public string? Digits { get; init; }

    public int Loop { get; init; } = 1;
}

/// <summary>&lt;Pause&gt;: silence for <see cref="Length"/> seconds.</summary>
public sealed record Pause : TwimlVerb, IGatherPrompt
{
    public override string Name => "Pause";

    public int Length { get; init; } = 1;
}
