namespace Telephony.Twiml.Simulation;

/// <summary>One thing the simulated caller does, <see cref="After"/> the call started: press digits, speak, or hang up.</summary>
public sealed record CallerAction
{
    public TimeSpan After { get; init; }

    /// <summary>Keys pressed one after another, 100 ms apart.</summary>
    public string? Digits { get; init; }

    public bool Hangup { get; init; }

    /// <summary>The caller talks for this long (what Record hears).</summary>
    public TimeSpan? Speak { get; init; }
}

/// <summary>How a simulated &lt;Dial&gt; goes: completed (answers after <see cref="AnswerAfter"/>), busy, no-answer or failed.</summary>
public sealed record DialScript
{
    public string Outcome { get; init; } = "completed";

    public TimeSpan AnswerAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long the answered party stays before hanging up.</summary>
    public TimeSpan HangupAfter { get; init; } = TimeSpan.FromSeconds(10);
}
