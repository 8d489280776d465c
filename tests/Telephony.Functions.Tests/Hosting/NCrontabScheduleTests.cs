using Telephony.Core.Scheduling;

namespace Telephony.Functions.Tests.Hosting;

/// <summary>The six-field NCRONTAB grammar and next-occurrence computation used by timer triggers (UTC).</summary>
public class NCrontabScheduleTests
{
    // 2026-11-24 is a Tuesday.
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 17, 42, TimeSpan.Zero);

    [Theory]
    [InlineData("* * * * * *", "2026-11-24T10:17:43Z")]
    [InlineData("0 * * * * *", "2026-11-24T10:18:00Z")]
    [InlineData("0 */5 * * * *", "2026-11-24T10:20:00Z")]
    [InlineData("*/15 * * * * *", "2026-11-24T10:17:45Z")]
    [InlineData("30 5 * * * *", "2026-11-24T11:05:30Z")]
    [InlineData("0 0 * * * *", "2026-11-24T11:00:00Z")]
    [InlineData("0 30 9 * * *", "2026-11-25T09:30:00Z")]
    [InlineData("0 0 9-17 * * *", "2026-11-24T11:00:00Z")]
    [InlineData("0 0 9-17/4 * * *", "2026-11-24T13:00:00Z")]
    [InlineData("0 0,30 8,20 * * *", "2026-11-24T20:00:00Z")]
    [InlineData("0 15/20 * * * *", "2026-11-24T10:35:00Z")]
    [InlineData("0 0 0 1 * *", "2026-12-01T00:00:00Z")]
    [InlineData("0 0 0 1 1 *", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 12 * * MON", "2026-11-30T12:00:00Z")]
    [InlineData("0 0 12 * * mon-fri", "2026-11-24T12:00:00Z")]
    [InlineData("0 0 8 * * SAT,SUN", "2026-11-28T08:00:00Z")]
    [InlineData("0 0 8 * * 0", "2026-11-29T08:00:00Z")]
    [InlineData("0 0 8 * * 7", "2026-11-29T08:00:00Z")]
    [InlineData("0 0 0 * FEB *", "2027-02-01T00:00:00Z")]
    [InlineData("0 0 0 * jan-mar/2 *", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 0 29 2 *", "2028-02-29T00:00:00Z")]
    [InlineData("0 0 0 13 * FRI", "2027-08-13T00:00:00Z")]
    [InlineData("0 0 0 31 * *", "2026-12-31T00:00:00Z")]
    [InlineData("  0  */5   *  * * *  ", "2026-11-24T10:20:00Z")]
    public void Next_occurrence_follows_the_expression(string expression, string expected)
    {
        var schedule = NCrontabSchedule.Parse(expression);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), schedule.GetNextOccurrence(Start));
    }

    [Fact]
    public void Next_occurrence_is_strictly_after_the_given_time_and_ignores_fractions()
    {
        var schedule = NCrontabSchedule.Parse("0 */5 * * * *");
        var onTheDot = new DateTimeOffset(2026, 11, 24, 10, 20, 0, TimeSpan.Zero);

        Assert.Equal(onTheDot.AddMinutes(5), schedule.GetNextOccurrence(onTheDot));
        Assert.Equal(onTheDot.AddMinutes(5), schedule.GetNextOccurrence(onTheDot.AddMilliseconds(999)));
        Assert.Equal(onTheDot, schedule.GetNextOccurrence(onTheDot.AddTicks(-1)));
    }

    [Fact]
    public void Times_in_other_offsets_are_evaluated_in_utc()
    {
        var schedule = NCrontabSchedule.Parse("0 0 9 * * *");
        var tokyoMorning = new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.FromHours(9)); // 23:00Z the day before

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), schedule.GetNextOccurrence(tokyoMorning));
    }

    [Fact]
    public void Successive_occurrences_walk_the_schedule()
    {
        var schedule = NCrontabSchedule.Parse("0 0 9,17 * * MON-FRI");
        var occurrences = new List<DateTimeOffset>();
        var t = Start;
        for (var i = 0; i < 6; i++)
        {
            t = schedule.GetNextOccurrence(t)!.Value;
            occurrences.Add(t);
        }

        Assert.Equal(
            ["2026-11-24T17:00:00", "2026-11-25T09:00:00", "2026-11-25T17:00:00", "2026-11-26T09:00:00", "2026-11-26T17:00:00", "2026-11-27T09:00:00"],
            occurrences.Select(o => o.UtcDateTime.ToString("s", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("0 0 0 30 2 *")]
    [InlineData("0 0 0 31 4 *")]
    public void A_date_that_never_exists_has_no_occurrence(string expression)
    {
        Assert.Null(NCrontabSchedule.Parse(expression).GetNextOccurrence(Start));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("* * * * *", "expected 6 fields")]
    [InlineData("* * * * * * *", "expected 6 fields")]
    [InlineData("60 * * * * *", "outside the second range")]
    [InlineData("* 60 * * * *", "outside the minute range")]
    [InlineData("* * 24 * * *", "outside the hour range")]
    [InlineData("* * * 0 * *", "outside the day-of-month range")]
    [InlineData("* * * * 13 *", "outside the month range")]
    [InlineData("* * * * * 8", "outside the day-of-week range")]
    [InlineData("*/0 * * * * *", "invalid step")]
    [InlineData("*/x * * * * *", "invalid step")]
    [InlineData("5-1 * * * * *", "ends before it starts")]
    [InlineData("1,,2 * * * * *", "empty list item")]
    [InlineData("* * * * FOO *", "not a valid month")]
    [InlineData("* * * * * MONDAY", "not a valid day-of-week")]
    [InlineData("* * MON * * *", "not a valid hour")]
    [InlineData("-1 * * * * *", "not a valid second")]
    [InlineData("00:05:00", "expected 6 fields")]
    public void Invalid_expressions_are_rejected_with_a_reason(string expression, string reason)
    {
        Assert.False(NCrontabSchedule.TryParse(expression, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        var exception = Assert.Throws<FormatException>(() => NCrontabSchedule.Parse(expression));
        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }
}
