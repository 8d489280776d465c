using Microsoft.Extensions.Logging;
using Telephony.Core.Storage;

namespace Telephony.Core.Limits;

/// <summary>
/// A trunk's channels counted across the cluster, so its <c>MaxChannels</c> holds however many nodes place calls
/// on it: <see cref="ClusterSlots"/> keyed by trunk name (partition <c>trunk-{name}</c> of the admission table).
/// Nodes that configure a trunk of the same name share its channels — the name identifies the carrier's channel
/// group, as the operator set it up.
/// </summary>
public sealed class TrunkChannels(StorageClients storage, string nodeId, TimeProvider time, TimeSpan expiry, ILogger<TrunkChannels> logger)
{
    private readonly ClusterSlots _slots = new(storage, "trunk-", nodeId, time, expiry, logger);

    /// <summary>Channels of <paramref name="trunk"/> this node is using.</summary>
    public int InUse(string trunk) => _slots.Running(Key(trunk));

    /// <summary>Takes one of the trunk's <paramref name="maxChannels"/> channels; false when the cluster uses them all.</summary>
    public Task<bool> TryTakeAsync(string trunk, int maxChannels, CancellationToken cancellationToken = default) =>
        _slots.TryTakeAsync(Key(trunk), maxChannels, cancellationToken);

    /// <summary>Gives a channel back when its call ended.</summary>
    public Task ReturnAsync(string trunk) => _slots.ReturnAsync(Key(trunk));

    /// <summary>Shrinks this node's rows to the channels it uses and rewrites them, so they stay counted (on every heartbeat).</summary>
    public Task RefreshAsync(CancellationToken cancellationToken = default) => _slots.RefreshAsync(cancellationToken);

    // Partition keys may not hold '/', '\', '#' or '?'; escaped, any configured name is a valid key.
    private static string Key(string trunk) => Uri.EscapeDataString(trunk);
}
