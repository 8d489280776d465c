using System.Diagnostics;

namespace Telephony.Bench.Api;

/// <summary>Runs one operation from N concurrent workers for a fixed time and reports throughput and latency percentiles.</summary>
internal static class LoadRun
{
    public static async Task<LoadSample> RunAsync(int concurrency, TimeSpan warmup, TimeSpan duration, Func<int, Task> operation)
    {
        var latencies = new List<double>[concurrency];
        var errors = 0L;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var mine = latencies[worker] = new List<double>(4096);
            var i = 0;
            while (true)
            {
                var before = Stopwatch.GetTimestamp();
                if (before >= stopAt)
                {
                    break;
                }

                try
                {
                    await operation(worker * 1_000_000 + i++);
                }
                catch (Exception) when (before >= measureFrom)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }

                var after = Stopwatch.GetTimestamp();
                if (before >= measureFrom && after <= stopAt)
                {
                    mine.Add(Stopwatch.GetElapsedTime(before, after).TotalMilliseconds);
                }
            }
        })));

        return new LoadSample(latencies.SelectMany(l => l).ToList(), duration, errors);
    }

    /// <summary>Merges the samples of several rounds of one operation.</summary>
    public static LoadResult Summarize(string name, IReadOnlyCollection<LoadSample> samples)
    {
        var all = samples.SelectMany(s => s.LatenciesMs).Order().ToArray();
        var seconds = samples.Sum(s => s.Duration.TotalSeconds);
        return new LoadResult(name, all.Length / seconds, Percentile(all, 0.50), Percentile(all, 0.99), samples.Sum(s => s.Errors));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}

internal sealed record LoadSample(IReadOnlyList<double> LatenciesMs, TimeSpan Duration, long Errors);

internal sealed record LoadResult(string Name, double PerSecond, double P50Ms, double P99Ms, long Errors);
