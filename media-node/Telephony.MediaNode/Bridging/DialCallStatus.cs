using Telephony.Sip.Calls;

namespace Telephony.MediaNode.Bridging;

/// <summary>Twilio's DialCallStatus values and how the legs' endings combine into one.</summary>
public static class DialCallStatus
{
    public const string Completed = "completed";
    public const string Busy = "busy";
    public const string NoAnswer = "no-answer";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    /// <summary>
    /// No leg was bridged: a leg that rang out (no-answer) says most about the callee, then busy, then failed. No leg at
    /// all (nothing resolvable, e.g. an unregistered client) is no-answer.
    /// </summary>
    public static string Unanswered(IEnumerable<TwilioCallStatus?> legs)
    {
        ArgumentNullException.ThrowIfNull(legs);
        var ended = legs.OfType<TwilioCallStatus>().ToList();
        if (ended.Count == 0 || ended.Contains(TwilioCallStatus.NoAnswer))
        {
            return NoAnswer;
        }

        if (ended.Contains(TwilioCallStatus.Busy))
        {
            return Busy;
        }

        return ended.All(s => s == TwilioCallStatus.Canceled) ? Canceled : Failed;
    }
}
