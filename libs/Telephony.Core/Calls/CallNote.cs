namespace Telephony.Core.Calls;

/// <summary>
/// An event that changes nothing on the call record (an instruction fetch), noted by the call's writer and stored
/// with its next write (<see cref="CallStore.UpdateAsync(string, string, CallRecord?, IReadOnlyList{CallNote}, Func{CallRecord, CallChange?}, CancellationToken)"/>),
/// so it costs no write of its own.
/// </summary>
/// <param name="Type">The event type (see <see cref="CallEventTypes"/>).</param>
/// <param name="Timestamp">When it happened (not when it was stored).</param>
public sealed record CallNote(string Type, string? Detail, DateTimeOffset Timestamp);
