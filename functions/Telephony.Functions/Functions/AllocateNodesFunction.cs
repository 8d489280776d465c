using Telephony.Core.Capacity;
using Telephony.Functions.Hosting;

namespace Telephony.Functions.Functions;

/// <summary>
/// allocate-nodes: reconciles the latest capacity plan with the nodes (<see cref="NodeAllocator"/>). Off
/// unless a provisioner is configured (<c>Telephony:Capacity:Provisioner</c> = <c>Local</c>), so a
/// program that runs its nodes by other means never gets surprise processes.
/// </summary>
internal sealed class AllocateNodesFunction(IServiceProvider services, IConfiguration configuration) : ITimerFunction
{
    public const string Name = "allocate-nodes";
    public const string ProvisionerSetting = "Telephony:Capacity:Provisioner";

    public Task RunAsync(TimerTriggerInfo timer, CancellationToken cancellationToken) =>
        string.Equals(configuration[ProvisionerSetting], "Local", StringComparison.OrdinalIgnoreCase)
            ? services.GetRequiredService<NodeAllocator>().AllocateAsync(cancellationToken)
            : Task.CompletedTask;
}
