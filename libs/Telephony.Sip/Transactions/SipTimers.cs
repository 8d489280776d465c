namespace Telephony.Sip.Transactions;

/// <summary>RFC 3261 §17 / Table 4 timer base values.</summary>
public sealed record SipTimers
{
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timer B, F, H, J, L, M: 64·T1.</summary>
    public TimeSpan TransactionTimeout => T1 * 64;

    /// <summary>Timer D: at least 32 s over unreliable transports.</summary>
    public TimeSpan TimerD { get; init; } = TimeSpan.FromSeconds(32);
}
