using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Models;
using Azure.ResourceManager.Resources;
using Telephony.Core.Capacity;

namespace Telephony.Functions.Provisioning;

/// <summary>
/// Media nodes as Azure Container Instances, through Azure Resource Manager's generic resources with a pinned
/// api-version: one container group per node, named <see cref="ContainerInstanceOptions.NamePrefix"/> + node id,
/// running as the node identity. Create and delete return once ARM accepted them (a group takes 30–60 s to
/// start; the allocator waits for the node's heartbeat). 429 and 5xx answers are retried by the ARM pipeline
/// (honouring Retry-After); other failures surface as <see cref="RequestFailedException"/> for the allocator's
/// next round.
/// </summary>
internal sealed class ContainerInstanceProvisioner(
    ArmClient arm, ContainerInstanceOptions options, NodeContainerEnvironment environment, TimeProvider time, ILogger<ContainerInstanceProvisioner> logger)
    : INodeProvisioner
{
    /// <summary>The current stable containerGroups api-version.</summary>
    public const string ApiVersion = "2025-09-01";

    /// <summary>Tag naming the node a container group runs (also the name's suffix).</summary>
    public const string NodeTag = "telephony-node";

    public static readonly ResourceType ContainerGroupType = new("Microsoft.ContainerInstance/containerGroups");

    /// <summary>An ARM client with the containerGroups api-version pinned (no provider lookups).</summary>
    public static ArmClient CreateArmClient(ContainerInstanceOptions options, TokenCredential credential, Action<ArmClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var armOptions = new ArmClientOptions
        {
            Environment = options.ArmEndpoint == ArmEnvironment.AzurePublicCloud.Endpoint
                ? ArmEnvironment.AzurePublicCloud
                : new ArmEnvironment(options.ArmEndpoint, options.ArmEndpoint.GetLeftPart(UriPartial.Authority)),
        };
        armOptions.SetApiVersion(ContainerGroupType, ApiVersion);
        configure?.Invoke(armOptions);
        return new ArmClient(credential, options.SubscriptionId, armOptions);
    }

    public async Task<IReadOnlyList<ProvisionedNode>> ListAsync(CancellationToken cancellationToken)
    {
        var group = arm.GetResourceGroupResource(ResourceGroupResource.CreateResourceIdentifier(options.SubscriptionId, options.ResourceGroup));
        var nodes = new List<ProvisionedNode>();
        await foreach (var resource in group.GetGenericResourcesAsync($"resourceType eq '{ContainerGroupType}'", "createdTime,provisioningState", cancellationToken: cancellationToken))
        {
            var data = resource.Data;
            if (!data.Name.StartsWith(options.NamePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var nodeId = data.Name[options.NamePrefix.Length..];
            if (string.Equals(data.ProvisioningState, "Failed", StringComparison.OrdinalIgnoreCase))
            {
                // It will never heartbeat: remove it and leave the allocator to start a replacement.
                logger.LogWarning("Container group {Name} failed to provision; deleting it", data.Name);
                await RemoveAsync(nodeId, cancellationToken);
                continue;
            }

            nodes.Add(new ProvisionedNode(nodeId, data.CreatedOn ?? time.GetUtcNow()));
        }

        return nodes;
    }

    public async Task<ProvisionedNode> StartAsync(CancellationToken cancellationToken)
    {
        var nodeId = "aci-" + Guid.NewGuid().ToString("N")[..12];
        var data = new GenericResourceData(new AzureLocation(options.Location))
        {
            Identity = new ManagedServiceIdentity(ManagedServiceIdentityType.UserAssigned),
            Properties = BinaryData.FromString(ContainerGroupBody.Properties(options, environment.For(nodeId), options.NamePrefix + nodeId).ToJsonString()),
        };
        data.Identity.UserAssignedIdentities[new ResourceIdentifier(options.IdentityResourceId)] = new UserAssignedIdentity();
        data.Tags[NodeTag] = nodeId;

        await arm.GetGenericResources().CreateOrUpdateAsync(WaitUntil.Started, GroupId(nodeId), data, cancellationToken);
        logger.LogInformation("Container group {Name} requested for node {NodeId} ({Image})", options.NamePrefix + nodeId, nodeId, options.Image);
        return new ProvisionedNode(nodeId, time.GetUtcNow());
    }

    public async Task RemoveAsync(string nodeId, CancellationToken cancellationToken)
    {
        try
        {
            await arm.GetGenericResource(GroupId(nodeId)).DeleteAsync(WaitUntil.Started, cancellationToken);
            logger.LogInformation("Container group {Name} of node {NodeId} deleted", options.NamePrefix + nodeId, nodeId);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone.
        }
    }

    private ResourceIdentifier GroupId(string nodeId) => new(
        $"/subscriptions/{options.SubscriptionId}/resourceGroups/{options.ResourceGroup}/providers/{ContainerGroupType}/{options.NamePrefix}{nodeId}");
}
