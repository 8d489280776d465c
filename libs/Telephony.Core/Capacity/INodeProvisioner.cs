namespace Telephony.Core.Capacity;

/// <summary>Creates and deletes media nodes (local processes, Azure Container Instances, …).</summary>
public interface INodeProvisioner
{
    /// <summary>The nodes this provisioner runs, whether or not they have heartbeated yet.</summary>
    Task<IReadOnlyList<ProvisionedNode>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Starts one more node; returns its id (the id it reports its heartbeat under).</summary>
    Task<ProvisionedNode> StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops and deletes the node (no-op when it is already gone).</summary>
    Task RemoveAsync(string nodeId, CancellationToken cancellationToken);
}
