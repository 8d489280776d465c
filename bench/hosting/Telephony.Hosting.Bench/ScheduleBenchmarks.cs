using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Telephony.Core.Scheduling;

namespace Telephony.Hosting.Bench;

/// <summary>
/// What a timer trigger pays per occurrence: parsing its schedule (once at startup) and finding the next
/// occurrence (once per firing). Dense schedules match within a minute; sparse ones walk days or years.
/// </summary>
[ShortRunJob(RuntimeMoniker.Net10_0)]
[MemoryDiagnoser]
public class ScheduleBenchmarks
{
    private static readonly DateTimeOffset From = new(2026, 11, 24, 10, 17, 42, TimeSpan.Zero);

    private readonly NCrontabSchedule _everyFiveMinutes = NCrontabSchedule.Parse("0 */5 * * * *");
    private readonly NCrontabSchedule _weekdayMornings = NCrontabSchedule.Parse("0 30 9 * * MON-FRI");
    private readonly NCrontabSchedule _leapDayFriday = NCrontabSchedule.Parse("0 0 0 29 FEB FRI");

    [Benchmark]
    public NCrontabSchedule Parse() => NCrontabSchedule.Parse("0 0,30 8-18/2 * JAN-NOV MON-FRI");

    [Benchmark(Baseline = true)]
    public DateTimeOffset? NextEveryFiveMinutes() => _everyFiveMinutes.GetNextOccurrence(From);

    [Benchmark]
    public DateTimeOffset? NextWeekdayMorning() => _weekdayMornings.GetNextOccurrence(From);

    [Benchmark]
    public DateTimeOffset? NextLeapDayFriday() => _leapDayFriday.GetNextOccurrence(From);
}
