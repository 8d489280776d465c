using System.Diagnostics;
using System.Globalization;
using Telephony.Core.Presence;

namespace Telephony.Presence.Bench;

/// <summary>Times PresenceRegistry.LookupAsync (what <c>&lt;Dial&gt;&lt;Client&gt;</c> asks) back to back while the REGISTER load runs.</summary>
internal static class LookupProbe
{
    public static async Task<LookupResult> RunAsync(PresenceRegistry presence, string accountSid, IReadOnlyList<string> identities, CancellationToken stop)
    {
        var latencies = new List<double>();
        var missing = 0;
        var next = 0;
        while (!stop.IsCancellationRequested)
        {
            var identity = identities[next++ % identities.Count];
            var started = Stopwatch.GetTimestamp();
            var found = await presence.LookupAsync(accountSid, identity, CancellationToken.None);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (found.Count == 0)
            {
                missing++;
            }
        }

        latencies.Sort();
        return new LookupResult(latencies, missing);
    }
}

internal sealed record LookupResult(IReadOnlyList<double> Sorted, int Missing)
{
    private double Percentile(double p) => Sorted.Count == 0 ? double.NaN : Sorted[Math.Min(Sorted.Count - 1, (int)Math.Ceiling(p * Sorted.Count) - 1)];

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"presence lookups during the load: {Sorted.Count}, not found {Missing}; ms p50 {Percentile(0.5):F2} p99 {Percentile(0.99):F2} max {(Sorted.Count == 0 ? double.NaN : Sorted[^1]):F2}");
}
