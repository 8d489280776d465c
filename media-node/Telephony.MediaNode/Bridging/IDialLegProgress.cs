using Telephony.Sip.Calls;

namespace Telephony.MediaNode.Bridging;

/// <summary>What a ringing Dial leg tells the Dial as it goes (the caller's ringback follows it).</summary>
public interface IDialLegProgress
{
    /// <summary>The leg rang: its first 180 or 183.</summary>
    void LegRinging();

    /// <summary>A 18x of the leg carried SDP: the callee's early media flows on <paramref name="call"/> (called again when it moves).</summary>
    void LegEarlyMedia(SipCall call);
}
