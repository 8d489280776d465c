using System.Globalization;
using Telephony.Capacity.Bench;
using Telephony.Core.Capacity;

// Usage: dotnet run -c Release --project bench/capacity/Telephony.Capacity.Bench [-- seed [Setting=value ...]]
// (settings to compare: ScaleInSpare, Headroom, SpareDeviations, Smoothing = numbers; ScaleInDelay, MinNodeLifetime,
// FastScaleInDelay, MeanCallDuration, ForecastHorizon = seconds; MeasureHoldingTime = true/false)
// or: dotnet run -c Release --project bench/capacity/Telephony.Capacity.Bench -- idle-poll (dispatch polling cost on Azurite)
if (args is ["idle-poll", ..])
{
    await IdlePolling.RunAsync([10, 100, 1000]);
    return;
}

var seed = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
var settings = SettingsArguments.Apply(new CapacitySettings { MaxNodes = 200, MinNodes = 1 }, args.Skip(1));
Console.WriteLine($"settings: node capacity {settings.DefaultNodeCapacity}, spare {settings.Headroom:P0} + {settings.SpareDeviations} sqrt(slots), scale-in spare x{settings.ScaleInSpare}, dispatch reserve 10 %, " +
    $"horizon {settings.ForecastHorizon.TotalSeconds} s, holding time {(settings.MeasureHoldingTime ? "measured" : "fixed")} (prior {settings.MeanCallDuration.TotalSeconds} s), smoothing {settings.Smoothing}, scale-in delay {settings.ScaleInDelay.TotalMinutes} min (halved demand {settings.FastScaleInDelay.TotalMinutes} min), min node lifetime {settings.MinNodeLifetime.TotalMinutes} min, node start 30-60 s, seed {seed}");
Console.WriteLine();
foreach (var scenario in new[] { Scenario.Steady(new Random(seed)), Scenario.Spike(new Random(seed)), Scenario.Diurnal(new Random(seed)), Scenario.HeavyBatch(new Random(seed)) })
{
    var result = new Simulation(settings, seed).Run(scenario);
    Report.Print(scenario, result);
}
