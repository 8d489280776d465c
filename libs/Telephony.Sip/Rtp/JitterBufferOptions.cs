namespace Telephony.Sip.Rtp;

/// <summary>Bounds of the receive jitter buffer, in milliseconds of 8 kHz audio.</summary>
public sealed record JitterBufferOptions
{
    /// <summary>The smallest playout delay: audio waits at least this long before it is played.</summary>
    public int MinDelayMs { get; init; } = 40;

    /// <summary>The largest playout delay the adaptation may choose.</summary>
    public int MaxDelayMs { get; init; } = 200;

    /// <summary>Audio further ahead of the playout point than this is a jump (new talkspurt, new source): the buffer resynchronises.</summary>
    public int MaxDepthMs { get; init; } = 1000;

    /// <summary>How long a lost frame is concealed by repeating the last one, fading out, before silence.</summary>
    public int ConcealmentMs { get; init; } = 60;
}
