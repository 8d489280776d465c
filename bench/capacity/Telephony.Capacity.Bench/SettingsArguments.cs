using System.Globalization;
using Telephony.Core.Capacity;

namespace Telephony.Capacity.Bench;

/// <summary>Setting=value arguments, so a run can compare planner settings without editing code.</summary>
internal static class SettingsArguments
{
    public static CapacitySettings Apply(CapacitySettings settings, IEnumerable<string> arguments)
    {
        foreach (var argument in arguments)
        {
            var parts = argument.Split('=', 2);
            if (parts.Length != 2)
            {
                throw new ArgumentException($"expected Setting=value, got '{argument}'");
            }

            var value = parts[1];
            double Number() => double.Parse(value, CultureInfo.InvariantCulture);
            TimeSpan Seconds() => TimeSpan.FromSeconds(Number());
            settings = parts[0] switch
            {
                nameof(CapacitySettings.ScaleInSpare) => settings with { ScaleInSpare = Number() },
                nameof(CapacitySettings.Headroom) => settings with { Headroom = Number() },
                nameof(CapacitySettings.SpareDeviations) => settings with { SpareDeviations = Number() },
                nameof(CapacitySettings.Smoothing) => settings with { Smoothing = Number() },
                nameof(CapacitySettings.ScaleInDelay) => settings with { ScaleInDelay = Seconds() },
                nameof(CapacitySettings.FastScaleInDelay) => settings with { FastScaleInDelay = Seconds() },
                nameof(CapacitySettings.MinNodeLifetime) => settings with { MinNodeLifetime = Seconds() },
                nameof(CapacitySettings.MeanCallDuration) => settings with { MeanCallDuration = Seconds() },
                nameof(CapacitySettings.ForecastHorizon) => settings with { ForecastHorizon = Seconds() },
                nameof(CapacitySettings.MeasureHoldingTime) => settings with { MeasureHoldingTime = bool.Parse(value) },
                _ => throw new ArgumentException($"unknown setting '{parts[0]}'"),
            };
        }

        return settings;
    }
}
