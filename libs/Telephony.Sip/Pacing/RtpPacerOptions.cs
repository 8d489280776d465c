namespace Telephony.Sip.Pacing;

/// <summary>Settings of the <see cref="RtpPacer"/>.</summary>
public sealed record RtpPacerOptions
{
    /// <summary>Send loops (dedicated threads); one per core by default.</summary>
    public int Loops { get; init; } = Environment.ProcessorCount;

    /// <summary>The packet interval.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Phase slots per interval. Streams are spread over the slots, so each loop sends a few small bursts per interval instead of
    /// one large one; a stream's send time then moves little between intervals. 1 sends everything at the interval start.
    /// </summary>
    public int SlotsPerInterval { get; init; } = 4;

    /// <summary>
    /// How long before a deadline the loop stops sleeping and spins, to absorb the kernel timer's slack and the scheduler's
    /// wake-up latency (tens of microseconds on Linux). Every loop spins this long per slot, so it costs CPU in proportion.
    /// </summary>
    public TimeSpan SpinWindow { get; init; } = TimeSpan.FromMicroseconds(100);

    /// <summary>A loop that falls further behind than this many intervals skips ahead instead of bursting the missed packets.</summary>
    public int MaxCatchUpIntervals { get; init; } = 5;

    /// <summary>
    /// Run the loops under the Linux SCHED_FIFO policy at this priority (1-99), as media servers do, so other work on a busy
    /// machine cannot delay the deadlines. Needs CAP_SYS_NICE; when refused the loops run normally and a warning is logged.
    /// Null (the default) leaves scheduling alone.
    /// </summary>
    public int? RealtimePriority { get; init; }
}
