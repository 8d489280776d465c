using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Telephony.Sip.Pacing;

/// <summary>
/// Sleeps until a <see cref="Stopwatch"/> timestamp with the kernel timer's precision (tens of microseconds). On Linux
/// the stopwatch reads CLOCK_MONOTONIC in nanoseconds, so <c>clock_nanosleep</c> can take the deadline as it is.
/// <see cref="Thread.Sleep(int)"/> takes whole milliseconds, which left the pacer yielding and spinning through the
/// last one or two milliseconds before each deadline: most of a node's CPU whenever it carried a call.
/// </summary>
internal static partial class MonotonicSleep
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsolute = 1;
    private const int Interrupted = 4;
    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>Whether <see cref="Until"/> can be used: Linux, and the stopwatch is the monotonic clock in nanoseconds.</summary>
    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && Stopwatch.Frequency == NanosecondsPerSecond && StopwatchIsMonotonicClock();

    /// <summary>Returns at or shortly after <paramref name="timestamp"/> (a <see cref="Stopwatch.GetTimestamp"/> value).</summary>
    public static void Until(long timestamp)
    {
        var deadline = new Timespec { Seconds = timestamp / NanosecondsPerSecond, Nanoseconds = timestamp % NanosecondsPerSecond };
        while (ClockNanosleep(ClockMonotonic, TimerAbsolute, in deadline, IntPtr.Zero) == Interrupted)
        {
        }
    }

    private static bool StopwatchIsMonotonicClock()
    {
        try
        {
            var before = Stopwatch.GetTimestamp();
            if (ClockGettime(ClockMonotonic, out var now) != 0)
            {
                return false;
            }

            var after = Stopwatch.GetTimestamp();
            var monotonic = (now.Seconds * NanosecondsPerSecond) + now.Nanoseconds;
            return monotonic >= before && monotonic <= after;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, in Timespec request, IntPtr remaining);

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGettime(int clock, out Timespec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
