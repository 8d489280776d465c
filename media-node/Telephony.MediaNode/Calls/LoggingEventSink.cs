using Microsoft.Extensions.Logging;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Calls;

/// <summary>Writes what the interpreter does (fetches, verbs, notifications) to the node's structured log.</summary>
public sealed class LoggingEventSink(string callSid, ILogger logger) : ICallEventSink
{
    public void Emit(CallEvent callEvent)
    {
        ArgumentNullException.ThrowIfNull(callEvent);
        logger.LogInformation(
            "Call {CallSid} at {At}: {EventType} {Details}",
            callSid,
            callEvent.At,
            callEvent.Type,
            string.Join(", ", callEvent.Details.Select(d => d.Key + "=" + d.Value)));
    }
}
