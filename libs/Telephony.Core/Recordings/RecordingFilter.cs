using Telephony.Core.Calls;
using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Core.Parameters;

namespace Telephony.Core.Recordings;

/// <summary>
/// Filters of the Recordings list: <c>CallSid</c>, and <c>DateCreated</c>, <c>DateCreated&lt;</c>,
/// <c>DateCreated&gt;</c> (a date or ISO 8601 date-time; the &lt;/&gt; forms inclusive, as for calls).
/// </summary>
public sealed record RecordingFilter(string? CallSid, DateTimeOffset? CreatedAtOrAfter, DateTimeOffset? CreatedBefore)
{
    public static RecordingFilter Parse(RequestParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var callSid = parameters.Single("CallSid");
        if (callSid is not null && !Sid.IsValid(callSid, Sid.CallPrefix))
        {
            throw RequestParameters.Invalid(TwilioErrorCodes.InvalidParameter, "CallSid must be a CA sid");
        }

        DateTimeOffset? atOrAfter = null, before = null;
        if (CallListQuery.ParseTime(parameters, "DateCreated") is { } exact)
        {
            (atOrAfter, before) = (exact.Start, exact.End);
        }

        if (CallListQuery.ParseTime(parameters, "DateCreated>") is { } lower)
        {
            atOrAfter = atOrAfter is { } a && a > lower.Start ? a : lower.Start;
        }

        if (CallListQuery.ParseTime(parameters, "DateCreated<") is { } upper)
        {
            before = before is { } b && b < upper.End ? b : upper.End;
        }

        return new RecordingFilter(callSid, atOrAfter, before);
    }

    public RecordingFilter ForCall(string callSid) => this with { CallSid = callSid };
}
