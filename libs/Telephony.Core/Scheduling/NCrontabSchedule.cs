namespace Telephony.Core.Scheduling;

/// <summary>
/// A six-field NCRONTAB schedule as Azure Functions timer triggers use it:
/// <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, evaluated in UTC.
/// As in NCrontab (the library the Functions host uses), a time matches only when every field
/// matches — day-of-month and day-of-week are combined with AND, not Vixie cron's OR.
/// </summary>
public sealed class NCrontabSchedule
{
    // A schedule that can match at all matches within 28 years (leap day on a given weekday).
    private const int SearchYears = 29;

    private readonly CronField _seconds;
    private readonly CronField _minutes;
    private readonly CronField _hours;
    private readonly CronField _days;
    private readonly CronField _months;
    private readonly CronField _daysOfWeek;

    private NCrontabSchedule(string expression, CronField[] fields)
    {
        Expression = expression;
        (_seconds, _minutes, _hours, _days, _months, _daysOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
    }

    /// <summary>The expression as written.</summary>
    public string Expression { get; }

    /// <summary>Parses a six-field expression, or throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static NCrontabSchedule Parse(string expression) =>
        TryParse(expression, out var schedule, out var error)
            ? schedule
            : throw new FormatException($"Invalid NCRONTAB expression '{expression}': {error}.");

    public static bool TryParse(string? expression, out NCrontabSchedule schedule, out string? error)
    {
        schedule = null!;
        if (string.IsNullOrWhiteSpace(expression))
        {
            error = "the expression is empty";
            return false;
        }

        var text = expression.AsSpan().Trim();
        Span<Range> parts = stackalloc Range[7];
        var count = text.SplitAny(parts, " \t", StringSplitOptions.RemoveEmptyEntries);
        if (count != 6)
        {
            error = $"expected 6 fields (second minute hour day month day-of-week) but found {count}";
            return false;
        }

        var fields = new CronField[6];
        for (var i = 0; i < 6; i++)
        {
            if (!CronField.TryParse(text[parts[i]], (CronFieldKind)i, out fields[i], out error))
            {
                return false;
            }
        }

        error = null;
        schedule = new NCrontabSchedule(expression, fields);
        return true;
    }

    /// <summary>
    /// The first time strictly after <paramref name="after"/> that matches, in UTC (whole seconds),
    /// or null when the schedule never matches (e.g. 30 February).
    /// </summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after)
    {
        var utc = after.UtcDateTime;
        var t = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second, DateTimeKind.Utc).AddSeconds(1);
        var lastYear = t.Year + SearchYears;

        while (t.Year <= lastYear)
        {
            var month = _months.NextAtOrAfter(t.Month);
            if (month < 0)
            {
                t = new DateTime(t.Year + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc);
                continue;
            }

            if (month != t.Month)
            {
                t = new DateTime(t.Year, month, 1, 0, 0, 0, DateTimeKind.Utc);
            }

            if (!_days.Contains(t.Day) || !_daysOfWeek.Contains((int)t.DayOfWeek))
            {
                t = t.Date.AddDays(1);
                continue;
            }

            var hour = _hours.NextAtOrAfter(t.Hour);
            if (hour < 0)
            {
                t = t.Date.AddDays(1);
                continue;
            }

            if (hour != t.Hour)
            {
                t = t.Date.AddHours(hour);
            }

            var minute = _minutes.NextAtOrAfter(t.Minute);
            if (minute < 0)
            {
                t = t.Date.AddHours(t.Hour + 1);
                continue;
            }

            if (minute != t.Minute)
            {
                t = t.Date.AddHours(t.Hour).AddMinutes(minute);
            }

            var second = _seconds.NextAtOrAfter(t.Second);
            if (second < 0)
            {
                t = t.Date.AddHours(t.Hour).AddMinutes(t.Minute + 1);
                continue;
            }

            return new DateTimeOffset(t.Date.AddHours(t.Hour).AddMinutes(t.Minute).AddSeconds(second), TimeSpan.Zero);
        }

        return null;
    }

    public override string ToString() => Expression;
}
