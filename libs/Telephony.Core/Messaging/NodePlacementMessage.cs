namespace Telephony.Core.Messaging;

/// <summary>
/// Sent to a node's control queue (<see cref="QueueNames.NodeControl"/>) after the allocator changed the node's reserve
/// request in its nodes row: the node reads its row at once (its heartbeat reads it anyway), so the row stays the one
/// truth and the order of these messages does not matter. Told apart from other control messages by <see cref="Type"/>.
/// </summary>
public sealed record NodePlacementMessage
{
    public const string PlacementType = "placement";

    public string Type { get; init; } = PlacementType;

    public required DateTimeOffset RequestedAt { get; init; }
}
