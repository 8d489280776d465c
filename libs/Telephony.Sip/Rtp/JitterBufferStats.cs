namespace Telephony.Sip.Rtp;

/// <summary>Counters of a <see cref="JitterBuffer"/>.</summary>
public readonly record struct JitterBufferStats(long FramesPlayed, long FramesConcealed, long PacketsLate, long PacketsDuplicate, long Resyncs, int TargetDelayMs);
