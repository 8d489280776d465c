namespace Telephony.Core.Messaging;

/// <summary>
/// Batch work on <see cref="QueueNames.CallRequests"/>, next to single call requests. <c>chunk</c> names up
/// to 100 queued calls of a batch that admit-calls paces one by one; <c>cancel</c> asks admit-calls to cancel
/// the batch's queued calls page by page, continuing after <see cref="AfterCallSid"/>.
/// </summary>
public sealed record CallBatchMessage
{
    public const string ChunkKind = "chunk";
    public const string CancelKind = "cancel";

    public required string Kind { get; init; }

    public required string BatchSid { get; init; }

    public required string AccountSid { get; init; }

    public IReadOnlyList<string> CallSids { get; init; } = [];

    public string? AfterCallSid { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    public int Version { get; init; } = 1;
}
