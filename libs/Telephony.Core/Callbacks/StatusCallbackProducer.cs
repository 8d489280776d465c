using System.Globalization;
using Telephony.Core.Calls;
using Telephony.Core.Diagnostics;
using Telephony.Core.Messaging;
using Telephony.Core.Text;

namespace Telephony.Core.Callbacks;

/// <summary>
/// Turns a call's status events into status callbacks: for each event the tenant asked for (StatusCallbackEvent;
/// Twilio's default is completed only) and only when the call has a StatusCallback URL, one
/// <see cref="CallbackMessage"/> on <see cref="QueueNames.Callbacks"/> with Twilio's parameter set. <see cref="CallStore"/>
/// asks for every change it writes, so no transition is missed, and queues the message before it commits the change
/// (delivery drops a message whose event was never committed: <see cref="CommittedCallbacks"/>). A call without a
/// StatusCallback costs nothing here.
/// </summary>
public sealed class StatusCallbackProducer(MessageQueue queue)
{
    public const string ApiVersion = "2010-04-01";

    /// <summary>
    /// The callback <paramref name="appended"/> calls for, or null. <paramref name="call"/> is the record after the
    /// change; <paramref name="sequenceNumber"/> the call's count of callbacks queued before this one.
    /// </summary>
    public static CallbackMessage? For(CallRecord call, CallEvent appended, int sequenceNumber)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(appended);
        var instructions = call.Instructions;
        if (string.IsNullOrEmpty(instructions.StatusCallback) || StatusCallbackEvents.Of(appended) is not { } name || !Requested(instructions, name))
        {
            return null;
        }

        return new CallbackMessage
        {
            AccountSid = call.AccountSid,
            CallSid = call.Sid,
            Url = instructions.StatusCallback,
            Method = string.Equals(instructions.StatusCallbackMethod, "GET", StringComparison.OrdinalIgnoreCase) ? "GET" : "POST",
            Event = name,
            SequenceNumber = sequenceNumber,
            Parameters = Parameters(call, appended, name, sequenceNumber),
            CreatedAt = appended.Timestamp,
            EventSequence = appended.Sequence,
            CallbackId = Guid.NewGuid().ToString("N"),

            // The span that changed the status (the node's call, or an API request): delivery continues its trace.
            TraceParent = TraceParent.Current(),
        };
    }

    public Task SendAsync(CallbackMessage message, CancellationToken cancellationToken) =>
        queue.SendAsync(QueueNames.Callbacks, message, cancellationToken: cancellationToken);

    /// <summary>The parameters Twilio posts with a call-progress status callback.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parameters(CallRecord call, CallEvent appended, string eventName, int sequenceNumber)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(appended);
        var parameters = new List<KeyValuePair<string, string>>(18)
        {
            new("AccountSid", call.AccountSid),
            new("ApiVersion", ApiVersion),
            new("CallSid", call.Sid),
            new("CallStatus", StatusCallbackEvents.CallStatusOf(appended, eventName)),
            new("Called", call.To),
            new("Caller", call.From),
            new("Direction", call.Direction),
            new("From", call.From),
            new("To", call.To),
            new("CallbackSource", "call-progress-events"),
            new("SequenceNumber", sequenceNumber.ToString(CultureInfo.InvariantCulture)),
            new("Timestamp", Rfc2822.Format(appended.Timestamp)),
        };
        if (eventName == StatusCallbackEvents.Completed)
        {
            var seconds = call.Duration ?? 0;
            parameters.Add(new("CallDuration", seconds.ToString(CultureInfo.InvariantCulture)));

            // Duration is in whole minutes, rounded up, as Twilio reports it.
            parameters.Add(new("Duration", ((seconds + 59) / 60).ToString(CultureInfo.InvariantCulture)));
        }

        if (!string.IsNullOrEmpty(call.ParentCallSid))
        {
            parameters.Add(new("ParentCallSid", call.ParentCallSid));
        }

        if (!string.IsNullOrEmpty(call.CallerName))
        {
            parameters.Add(new("CallerName", call.CallerName));
        }

        if (!string.IsNullOrEmpty(call.AnsweredBy))
        {
            parameters.Add(new("AnsweredBy", call.AnsweredBy));
        }

        return parameters;
    }

    private static bool Requested(CallInstructions instructions, string eventName) =>
        instructions.StatusCallbackEvents.Contains(eventName, StringComparer.OrdinalIgnoreCase);
}
