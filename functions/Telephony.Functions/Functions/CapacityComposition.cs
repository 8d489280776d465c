using Azure.Identity;
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
        services.TryAddSingleton<CallStore>();
        services.TryAddSingleton<CallBatchStore>();
        services.TryAddSingleton<BatchCallQueries>();
        services.TryAddSingleton<CallBatchAdmission>();
        services.TryAddSingleton<NodeStore>();
        services.TryAddSingleton<CapacityPlanStore>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(CapacitySettings.Section).Get<CapacitySettings>() ?? new CapacitySettings());
        services.TryAddSingleton<CapacityAnalyzer>();
        services.TryAddSingleton<INodeProvisioner>(sp =>
            AllocateNodesFunction.IsContainerInstances(sp.GetRequiredService<IConfiguration>())
                ? ContainerInstances(sp)
                : new LocalProcessProvisioner(
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

    /// <summary>Nodes as Azure Container Instances, managed with the function app's own (system-assigned) identity.</summary>
    private static ContainerInstanceProvisioner ContainerInstances(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var options = configuration.GetSection(ContainerInstanceOptions.Section).Get<ContainerInstanceOptions>() ?? new ContainerInstanceOptions();
        string[] required = [options.SubscriptionId, options.ResourceGroup, options.Location, options.Image, options.IdentityResourceId, options.IdentityClientId];
        if (required.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidOperationException(
                $"{ContainerInstanceOptions.Section}: SubscriptionId, ResourceGroup, Location, Image, IdentityResourceId and IdentityClientId must be set for Azure Container Instances.");
        }

        var arm = ContainerInstanceProvisioner.CreateArmClient(options, new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned));
        return new ContainerInstanceProvisioner(
            arm, options, new NodeContainerEnvironment(options, key => configuration[key]),
            services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<ContainerInstanceProvisioner>>());
    }
}
