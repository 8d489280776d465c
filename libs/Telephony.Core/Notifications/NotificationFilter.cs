using Telephony.Core.Calls;
using Telephony.Core.Parameters;

namespace Telephony.Core.Notifications;

/// <summary>
/// Filters of the Notifications list: <c>Log</c> (0 errors, 1 warnings) and <c>MessageDate</c>, <c>MessageDate&lt;</c>,
/// <c>MessageDate&gt;</c> (a date or ISO 8601 date-time, the &lt;/&gt; forms inclusive, as for calls); the call-scoped list adds the call.
/// </summary>
public sealed record NotificationFilter(string? CallSid, int? Log, DateTimeOffset? AtOrAfter, DateTimeOffset? Before)
{
    public static NotificationFilter Parse(RequestParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var log = parameters.Int("Log", NotificationRecord.Error, NotificationRecord.Warning);
        DateTimeOffset? atOrAfter = null, before = null;
        if (CallListQuery.ParseTime(parameters, "MessageDate") is { } exact)
        {
            (atOrAfter, before) = (exact.Start, exact.End);
        }

        if (CallListQuery.ParseTime(parameters, "MessageDate>") is { } lower)
        {
            atOrAfter = atOrAfter is { } a && a > lower.Start ? a : lower.Start;
        }

        if (CallListQuery.ParseTime(parameters, "MessageDate<") is { } upper)
        {
            before = before is { } b && b < upper.End ? b : upper.End;
        }

        return new NotificationFilter(null, log, atOrAfter, before);
    }

    public NotificationFilter ForCall(string callSid) => this with { CallSid = callSid };
}
