using System.Globalization;
using Telephony.Core.Errors;
using Telephony.Core.Parameters;

namespace Telephony.Core.Calls;

/// <summary>
/// Parses the filters of <c>GET Calls.json</c>. <c>StartTime</c>, <c>StartTime&lt;</c> and
/// <c>StartTime&gt;</c> take a date (<c>YYYY-MM-DD</c>, meaning that whole UTC day) or an ISO 8601
/// date-time; the <c>&lt;</c>/<c>&gt;</c> forms are inclusive ("on or before", "on or after").
/// </summary>
public static class CallListQuery
{
    public static CallFilter Parse(RequestParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var p = parameters;
        CallStatus? status = null;
        if (p.Single("Status") is { } statusText)
        {
            status = CallStatuses.TryParse(statusText, out var parsed)
                ? parsed
                : throw RequestParameters.Invalid(TwilioErrorCodes.InvalidParameter, $"Status '{ParameterRules.Truncate(statusText)}' is not a call status");
        }

        DateTimeOffset? atOrAfter = null, before = null;
        if (ParseTime(p, "StartTime") is { } exact)
        {
            (atOrAfter, before) = (exact.Start, exact.End);
        }

        if (ParseTime(p, "StartTime>") is { } lower)
        {
            atOrAfter = Max(atOrAfter, lower.Start);
        }

        if (ParseTime(p, "StartTime<") is { } upper)
        {
            before = Min(before, upper.End);
        }

        return new CallFilter
        {
            To = p.Single("To"),
            From = p.Single("From"),
            Status = status,
            ParentCallSid = p.Single("ParentCallSid"),
            BatchSid = p.Single("BatchSid"),
            StartedAtOrAfter = atOrAfter,
            StartedBefore = before,
        };
    }

    /// <summary>The instant range a time parameter names: a whole day for a date, one second for a date-time.</summary>
    internal static (DateTimeOffset Start, DateTimeOffset End)? ParseTime(RequestParameters p, string name)
    {
        var text = p.Single(name);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return (start, start.AddDays(1));
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            && text.Length >= 19)
        {
            return (instant, instant.AddSeconds(1));
        }

        throw RequestParameters.Invalid(
            TwilioErrorCodes.InvalidParameter, $"{name} must be a date (YYYY-MM-DD) or an ISO 8601 date-time, not '{ParameterRules.Truncate(text)}'");
    }

    private static DateTimeOffset Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private static DateTimeOffset Min(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x < b ? x : b;
}
