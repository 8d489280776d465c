using System.Net.Http.Headers;
using Telephony.Core.Calls;

namespace Telephony.Twiml.Remote;

/// <summary>
/// The call record version a node holds, sent with an instruction fetch (<see cref="NodeInstructionRequest.Held"/>)
/// so the endpoint can record the fetch on top of it without reading the record; the endpoint answers the version
/// it wrote in two headers, so the node's copy stays current instead of being read again.
/// </summary>
public sealed record NodeCallVersion
{
    /// <summary>Header of the answer: the record's ETag after the fetch was recorded on top of the held version.</summary>
    public const string ETagHeader = "Telephony-Call-ETag";

    /// <summary>Header of the answer: the record's event sequence after the fetch was recorded.</summary>
    public const string SequenceHeader = "Telephony-Call-Sequence";

    public required string ETag { get; init; }

    public required long EventSequence { get; init; }

    /// <summary>The call's status at that version, as on the wire (<c>ringing</c>, <c>in-progress</c>…).</summary>
    public required string Status { get; init; }

    public static NodeCallVersion From(HeldCallVersion held)
    {
        ArgumentNullException.ThrowIfNull(held);
        return new NodeCallVersion { ETag = held.ETag, EventSequence = held.EventSequence, Status = CallStatuses.ToWire(held.Status) };
    }

    /// <summary>The held version for <paramref name="accountSid"/>/<paramref name="callSid"/>, or null when the status is not one a call has.</summary>
    public HeldCallVersion? ToHeld(string accountSid, string callSid) =>
        CallStatuses.TryParse(Status, out var status) && !string.IsNullOrEmpty(ETag) && EventSequence > 0
            ? new HeldCallVersion(accountSid, callSid, ETag, EventSequence, status)
            : null;

    /// <summary>The version the endpoint wrote, read from an answer's headers; null when it wrote none on top of the held one.</summary>
    public static (string ETag, long EventSequence)? FromHeaders(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.TryGetValues(ETagHeader, out var etags) && headers.TryGetValues(SequenceHeader, out var sequences)
            && etags.FirstOrDefault() is { Length: > 0 } etag
            && long.TryParse(sequences.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)
            ? (etag, sequence)
            : null;
    }
}
