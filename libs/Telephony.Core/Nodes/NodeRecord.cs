namespace Telephony.Core.Nodes;

/// <summary>A media node's life cycle as it reports it.</summary>
public enum NodeState
{
    Starting,
    Ready,
    Draining,
    Stopped,
}

/// <summary>
/// One media node as its heartbeat describes it: where it takes SIP, how many calls it can run, how many
/// it runs, and whether it is still taking work. The allocator and capacity analysis read these.
/// </summary>
public sealed record NodeRecord
{
    /// <summary>The node's name; its control queue is <c>QueueNames.NodeControl(Id)</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The node's SIP address (e.g. <c>udp:10.0.0.4:5080</c>), for trunks and registrations.</summary>
    public required string Address { get; init; }

    /// <summary>The most calls the node runs at once.</summary>
    public required int Capacity { get; init; }

    public required int ActiveCalls { get; init; }

    public required NodeState State { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset LastHeartbeat { get; init; }

    /// <summary>
    /// The allocator asked the node to be a reserve (cordoned): it takes no new dispatched calls while its running calls end,
    /// so it can be drained empty or made active again at once. Written by the allocator only, never by the node.
    /// </summary>
    public bool ReserveRequested { get; init; }

    /// <summary>The node honours <see cref="ReserveRequested"/>: its heartbeat says it takes no new dispatched calls.</summary>
    public bool Reserve { get; init; }

    /// <summary>The Table ETag this record was read with (not stored).</summary>
    public string? ETag { get; init; }

    /// <summary>Free call slots right now (none while draining or stopped).</summary>
    public int FreeSlots => State == NodeState.Ready ? Math.Max(0, Capacity - ActiveCalls) : 0;

    /// <summary>True when the last heartbeat is older than <paramref name="expiry"/> at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now, TimeSpan expiry) => now - LastHeartbeat > expiry;
}
