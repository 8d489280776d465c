using System.Diagnostics;
using Telephony.Sip.Pacing;

namespace Telephony.Sip.Tests.Pacing;

public sealed class MonotonicSleepTests
{
    [Fact]
    public void OnLinuxTheStopwatchIsTheMonotonicClockSoTheKernelTimerIsUsed()
    {
        Assert.Equal(OperatingSystem.IsLinux(), MonotonicSleep.IsAvailable);
    }

    [Fact]
    public void ReturnsNoEarlierThanTheDeadline()
    {
        for (var i = 0; i < 20; i++)
        {
            var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * (i + 1) / 2000);
            MonotonicSleep.Until(deadline);
            Assert.True(Stopwatch.GetTimestamp() >= deadline);
        }
    }

    [Fact]
    public void ADeadlineInThePastReturnsAtOnce()
    {
        var started = Stopwatch.GetTimestamp();
        MonotonicSleep.Until(started - Stopwatch.Frequency);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(1));
    }
}
