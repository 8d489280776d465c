using System.Diagnostics;
using System.Globalization;

namespace Telephony.Twiml.Bench;

/// <summary>
/// Throughput per CPU-second of this process, for a shared, oversubscribed machine where wall-clock timings
/// mostly measure waiting for a core. Single-threaded loops, so CPU time ≈ time on one core.
/// Run: dotnet run -c Release --project bench/twiml/Telephony.Twiml.Bench -- cpu
/// </summary>
internal static class CpuTime
{
    public static async Task RunAsync()
    {
        var parse = new ParseBenchmarks();
        Report("XmlReaderAlone", Measure(() => parse.XmlReaderAlone(), 200_000));
        Report("ParseTypicalDocument", Measure(() => parse.ParseTypicalDocument(), 200_000));

        using var fetch = new FetchOverheadBenchmarks();
        fetch.Setup();
        // Both loops include the in-process app server's own CPU, so the difference is the fetcher's overhead.
        Report("BareHttpPost", await MeasureAsync(fetch.BareHttpPost, 5_000));
        Report("InstructionFetch", await MeasureAsync(fetch.InstructionFetch, 5_000));
    }

    private static double Measure(Func<int> operation, int count)
    {
        for (var i = 0; i < count / 10; i++)
        {
            operation();
        }

        var before = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
        {
            operation();
        }

        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / count;
    }

    private static async Task<double> MeasureAsync(Func<Task<int>> operation, int count)
    {
        for (var i = 0; i < count / 10; i++)
        {
            await operation();
        }

        var before = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < count; i++)
        {
            await operation();
        }

        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / count;
    }

    private static void Report(string name, double microseconds) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-22} {microseconds,9:F2} us CPU/op  {1_000_000 / microseconds,10:F0} ops per CPU-second"));
}
