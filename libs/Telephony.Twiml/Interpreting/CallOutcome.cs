using Telephony.Twiml.Model;

namespace Telephony.Twiml.Interpreting;

/// <summary>How the call ended: Twilio's final CallStatus, its length and every notification raised.</summary>
public sealed record CallOutcome(string Status, TimeSpan Duration, string EndReason, IReadOnlyList<TwimlNotification> Notifications);
