namespace Telephony.Sip.Dtmf;

/// <summary>Thresholds of the in-band detector; the defaults follow common practice for ITU-T Q.24 receivers.</summary>
public sealed record GoertzelOptions
{
    /// <summary>Each tone's minimum amplitude in PCM16 units (about -36 dBFS).</summary>
    public double MinimumAmplitude { get; init; } = 500;

    /// <summary>How much weaker the high (column) tone may be than the low (row) tone.</summary>
    public double MaxNormalTwistDb { get; init; } = 8;

    /// <summary>How much stronger the high tone may be than the low tone.</summary>
    public double MaxReverseTwistDb { get; init; } = 4;

    /// <summary>How far each detected tone must stand above the other frequencies of its group.</summary>
    public double MinimumPeakRatioDb { get; init; } = 8;

    /// <summary>The share of the block's energy the two tones must carry.</summary>
    public double MinimumToneEnergyRatio { get; init; } = 0.6;

    /// <summary>Consecutive blocks a digit must hold before it is reported (2 ≈ 51 ms).</summary>
    public int MinimumBlocks { get; init; } = 2;

    /// <summary>Blocks without the digit before the same digit may be reported again.</summary>
    public int RearmBlocks { get; init; } = 2;
}
