namespace Telephony.Core.Messaging;

/// <summary>
/// Sent to a node's control queue (<see cref="QueueNames.NodeControl"/>) to make it stop taking new calls; its
/// running calls finish, its heartbeat reports Draining, and it may be removed once it reports no active calls.
/// Told apart from <see cref="CallControlMessage"/> by <see cref="Type"/>.
/// </summary>
public sealed record NodeDrainMessage
{
    public const string DrainType = "drain";

    public string Type { get; init; } = DrainType;

    public required DateTimeOffset RequestedAt { get; init; }
}
