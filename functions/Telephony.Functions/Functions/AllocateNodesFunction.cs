using Telephony.Core.Capacity;
using Telephony.Core.Nodes;
using Telephony.Functions.Hosting;

namespace Telephony.Functions.Functions;

/// <summary>
/// allocate-nodes: first finalizes the calls of dead nodes (<see cref="DeadNodeReaper"/>; always, however the
/// nodes are run), then reconciles the latest capacity plan with the nodes (<see cref="NodeAllocator"/>). The
/// allocation is off unless a provisioner is configured (<c>Telephony:Capacity:Provisioner</c> = <c>Local</c>
/// or <c>ContainerInstances</c>), so a program that runs its nodes by other means never gets surprise processes
/// or container groups. Reaping comes first because the allocator forgets a dead node's heartbeat row, the end
/// time of its calls.
/// </summary>
internal sealed class AllocateNodesFunction(IServiceProvider services, IConfiguration configuration) : ITimerFunction
{
    public const string Name = "allocate-nodes";
    public const string ProvisionerSetting = "Telephony:Capacity:Provisioner";

    public async Task RunAsync(TimerTriggerInfo timer, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<DeadNodeReaper>().ReapAsync(cancellationToken);
        if (string.Equals(configuration[ProvisionerSetting], "Local", StringComparison.OrdinalIgnoreCase) || IsContainerInstances(configuration))
        {
            await services.GetRequiredService<NodeAllocator>().AllocateAsync(cancellationToken);
        }
    }

    public static bool IsContainerInstances(IConfiguration configuration) =>
        string.Equals(configuration[ProvisionerSetting], "ContainerInstances", StringComparison.OrdinalIgnoreCase);
}
