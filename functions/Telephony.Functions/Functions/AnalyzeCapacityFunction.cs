using Telephony.Core.Capacity;
using Telephony.Functions.Hosting;

namespace Telephony.Functions.Functions;

/// <summary>analyze-capacity: every few seconds, turns demand into a stored capacity plan (<see cref="CapacityAnalyzer"/>).</summary>
internal sealed class AnalyzeCapacityFunction(CapacityAnalyzer analyzer) : ITimerFunction
{
    public const string Name = "analyze-capacity";

    public Task RunAsync(TimerTriggerInfo timer, CancellationToken cancellationToken) => analyzer.AnalyzeAsync(cancellationToken);
}
