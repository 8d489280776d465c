namespace Telephony.Media.Speech;

/// <summary>Rate and pitch as multipliers of the engine default, volume as a gain (1 = unchanged).</summary>
public sealed record Prosody(double Rate = 1.0, double Pitch = 1.0, double Volume = 1.0)
{
    public static readonly Prosody Default = new();
}

/// <summary>One piece of a parsed <c>&lt;Say&gt;</c>: words to speak, or silence.</summary>
public abstract record SpeechSegment;

public sealed record SpokenText(string Text, Prosody Prosody) : SpeechSegment;

public sealed record SpeechPause(TimeSpan Duration) : SpeechSegment;
