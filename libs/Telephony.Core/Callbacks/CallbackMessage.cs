namespace Telephony.Core.Callbacks;

/// <summary>
/// One webhook to deliver, as queued on <c>callbacks</c>: where, how, and the exact parameters. Per call,
/// <see cref="SequenceNumber"/> counts the status callbacks from 0 without gaps (Twilio's SequenceNumber), which is
/// what lets deliver-callbacks keep them in order. Retries are copies with <see cref="Attempt"/> + 1.
/// </summary>
public sealed record CallbackMessage
{
    public required string AccountSid { get; init; }

    public required string CallSid { get; init; }

    public required string Url { get; init; }

    /// <summary>GET or POST.</summary>
    public string Method { get; init; } = "POST";

    /// <summary>
    /// initiated, ringing, answered or completed (see <see cref="StatusCallbackEvents"/>); for a recording's
    /// callbacks in-progress, completed or absent.
    /// </summary>
    public required string Event { get; init; }

    /// <summary>Counts from 0 within <see cref="Stream"/>: deliveries of one stream never overtake each other.</summary>
    public required int SequenceNumber { get; init; }

    /// <summary>
    /// The ordered stream this callback belongs to within the call: <see cref="StatusStream"/> (call progress) or
    /// one per recording (<see cref="RecordingStream"/>), so a slow recording callback never holds status callbacks back.
    /// </summary>
    public string Stream { get; init; } = StatusStream;

    public required IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; }

    /// <summary>When the event happened; a message waiting for its predecessor gives up waiting relative to this.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// For a status callback: the call event it reports (<see cref="Calls.CallEvent.Sequence"/>). The writer queues the
    /// message before it commits the event, so delivery first checks that the event was committed with this
    /// <see cref="CallbackId"/> (see <see cref="CommittedCallbacks"/>). Null for recording callbacks.
    /// </summary>
    public long? EventSequence { get; init; }

    /// <summary>Names this message; the committed event carries the same id (<see cref="Calls.CallEvent.CallbackId"/>).</summary>
    public string? CallbackId { get; init; }

    /// <summary>1 for the first delivery attempt.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>W3C traceparent of the span that wrote the message (optional; older messages have none).</summary>
    public string? TraceParent { get; init; }

    public int Version { get; init; } = 1;

    public const string StatusStream = "status";

    public static string RecordingStream(string recordingSid) => "recording-" + recordingSid;
}
