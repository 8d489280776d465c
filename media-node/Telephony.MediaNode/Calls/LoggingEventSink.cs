using Microsoft.Extensions.Logging;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Calls;

/// <summary>
/// Writes what the interpreter does to the node's structured log: notifications (a tenant's TwiML or app went wrong)
/// at Warning, the step-by-step trace (fetches, verbs, digits, hang-up) at Debug — a call's start and end are logged
/// at Information by its runner, so a busy node writes two lines per call, not one per verb.
/// </summary>
public sealed class LoggingEventSink(string callSid, ILogger logger) : ICallEventSink
{
    public void Emit(CallEvent callEvent)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        var level = callEvent.Type == CallEventTypes.Notification ? LogLevel.Warning : LogLevel.Debug;
        if (!logger.IsEnabled(level))
        {
            return;
        }

        logger.Log(
            level,
            "Call {CallSid} at {At}: {EventType} {Details}",
            callSid,
            callEvent.At,
            callEvent.Type,
            string.Join(", ", callEvent.Details.Select(d => d.Key + "=" + d.Value)));
    }
}
