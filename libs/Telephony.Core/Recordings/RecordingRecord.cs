namespace Telephony.Core.Recordings;

/// <summary>A finished recording; its audio (8 kHz WAV) is the blob <c>{AC}/{RE}.wav</c> in container <c>recordings</c>.</summary>
public sealed record RecordingRecord
{
    public const string SidPrefix = "RE";

    public required string Sid { get; init; }

    public required string AccountSid { get; init; }

    public required string CallSid { get; init; }

    /// <summary>Twilio's source names: RecordVerb, DialVerb, OutboundAPI, StartCallRecordingAPI, Trunking…</summary>
    public required string Source { get; init; }

    public string Status { get; init; } = "completed";

    public int Channels { get; init; } = 1;

    /// <summary>Whole seconds, as Twilio reports them.</summary>
    public required int Duration { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    public required DateTimeOffset DateCreated { get; init; }

    public required DateTimeOffset DateUpdated { get; init; }

    public long SizeBytes { get; init; }

    /// <summary>The path a tenant fetches the audio from, without extension (Twilio's RecordingUrl).</summary>
    public string MediaPath => RecordingPaths.Media(AccountSid, Sid);
}
