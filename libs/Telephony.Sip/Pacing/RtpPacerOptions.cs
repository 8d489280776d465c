namespace Telephony.Sip.Pacing;

/// <summary>Settings of the <see cref="RtpPacer"/>.</summary>
public sealed record RtpPacerOptions
{
    /// <summary>Send loops (dedicated threads); one per core by default.</summary>
    public int Loops { get; init; } = Environment.ProcessorCount;

    /// <summary>The packet interval.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long before a deadline the loop stops sleeping and spins, to absorb the scheduler's wake-up latency.</summary>
    public TimeSpan SpinWindow { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>A loop that falls further behind than this many intervals skips ahead instead of bursting the missed packets.</summary>
    public int MaxCatchUpIntervals { get; init; } = 5;
}
