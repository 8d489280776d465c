using System.Globalization;

namespace Telephony.Capacity.Bench;

internal static class Report
{
    public static void Print(Scenario scenario, SimulationResult result)
    {
        Console.WriteLine($"## {scenario.Name}");
        Console.WriteLine($"calls {scenario.Arrivals.Count}, never started by the end {result.Unstarted}, peak nodes {result.PeakNodes}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"node-seconds {result.NodeSeconds:0} vs foresight oracle {result.Oracles.Foresight:0} = {result.NodeSeconds / result.Oracles.Foresight:0.00}x " +
            $"(instant bound {result.Oracles.Instant:0} = {result.NodeSeconds / result.Oracles.Instant:0.00}x, just-in-time packer {result.Oracles.JustInTime:0} = {result.NodeSeconds / result.Oracles.JustInTime:0.00}x); " +
            $"scale direction changes {result.DirectionChanges} (max {result.MaxChangesPer5Min} in any 5 min; node starts vs drains), " +
            $"of the plan's node count {result.PlanDirectionChanges} (max {result.MaxPlanChangesPer5Min}); reserve/active changes {result.PlacementChanges}"));
        var window = scenario.WindowFrom > 0 ? string.Create(CultureInfo.InvariantCulture, $" from {scenario.WindowFrom:0} s") : string.Empty;
        Console.WriteLine($"| tenant | spacing (s) | calls | p50 wait (s) | p99 wait (s) | p99 wait{window} (s) | p99 dispatch delay{window} (s) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        for (var t = 0; t < result.WaitsByTenant.Count; t++)
        {
            var waits = result.WaitsByTenant[t];
            if (waits.Count == 0)
            {
                continue;
            }

            waits.Sort();
            var windowWaits = result.WindowWaitsByTenant[t];
            windowWaits.Sort();
            var delays = result.DispatchDelaysByTenant[t];
            delays.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {t} | {scenario.Tenants[t].SlotSpacing.TotalSeconds:0.###} | {waits.Count} | {Percentile(waits, 0.50):0.0} | {Percentile(waits, 0.99):0.0} | " +
                $"{(windowWaits.Count > 0 ? Percentile(windowWaits, 0.99) : 0):0.0} | {(delays.Count > 0 ? Percentile(delays, 0.99) : 0):0.0} |"));
        }

        Console.WriteLine();
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
