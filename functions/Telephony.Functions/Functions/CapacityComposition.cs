using Microsoft.Extensions.DependencyInjection.Extensions;
using Telephony.Core.Admission;
using Telephony.Core.Batches;
using Telephony.Core.Calls;
using Telephony.Core.Capacity;
using Telephony.Core.Messaging;
using Telephony.Core.Nodes;
using Telephony.Core.Storage;
using Telephony.Functions.Hosting;
using Telephony.Functions.Provisioning;

namespace Telephony.Functions.Functions;

/// <summary>Services of fair admission, capacity analysis, node allocation and dead-node call finalization.</summary>
internal static class CapacityComposition
{
    public static IServiceCollection AddCapacity(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MessageQueue>();
        services.TryAddSingleton<AdmissionStore>();
        services.TryAddSingleton<CallAdmitter>();
        services.TryAddSingleton<CallEventStore>();
        services.TryAddSingleton<CallStore>();
        services.TryAddSingleton<CallBatchStore>();
        services.TryAddSingleton<BatchCallQueries>();
        services.TryAddSingleton<CallBatchAdmission>();
        services.TryAddSingleton<NodeStore>();
        services.TryAddSingleton<CapacityPlanStore>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(CapacitySettings.Section).Get<CapacitySettings>() ?? new CapacitySettings());
        services.TryAddSingleton<CapacityAnalyzer>();
        services.TryAddSingleton<INodeProvisioner>(sp => new LocalProcessProvisioner(
            sp.GetRequiredService<IConfiguration>().GetSection(LocalProvisionerOptions.Section).Get<LocalProvisionerOptions>()
                is { Arguments.Count: > 0 } options
                ? options
                : throw new InvalidOperationException($"{LocalProvisionerOptions.Section}:Command and :Arguments must say how to start a media node."),
            sp.GetRequiredService<StorageClients>().ConnectionString,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<LocalProcessProvisioner>>()));
        services.TryAddSingleton<NodeAllocator>();
        services.TryAddSingleton<NodeCallIndex>();
        services.TryAddSingleton<NodeCallFinalizer>();
        services.TryAddSingleton<DeadNodeReaper>();
        return services.AddTimerFunction<AnalyzeCapacityFunction>(AnalyzeCapacityFunction.Name)
            .AddTimerFunction<AllocateNodesFunction>(AllocateNodesFunction.Name);
    }
}
