using System.Diagnostics.Metrics;

namespace Telephony.Sip.Diagnostics;

/// <summary>
/// The SIP/RTP area's Meter. Telephony.Sip depends on nothing of ours, so the name is repeated here; the
/// platform's list (Telephony.Core's TelephonyTelemetry.SipArea) is checked against it by a test.
/// </summary>
public static class SipTelemetry
{
    public const string Area = "Telephony.Sip";

    private static readonly Meter Meter = new(Area);

    /// <summary>
    /// How late a pacer slot ran after its deadline. Recorded once per slot tick, with no tags, so it allocates
    /// nothing; measures nothing at all unless something listens.
    /// </summary>
    public static readonly Histogram<double> PacingLateness = Meter.CreateHistogram<double>(
        "telephony.rtp.pacing.lateness", "ms", "How late each RTP pacer slot ran after its deadline");
}
