using System.Globalization;
using Telephony.Core.Recordings;
using Telephony.Core.Text;

namespace Telephony.Functions.Api.Resources;

/// <summary>The Recording resource as Twilio's 2010-04-01 API returns it.</summary>
internal sealed record RecordingResource
{
    public required string AccountSid { get; init; }

    public string ApiVersion { get; init; } = "2010-04-01";

    public required string CallSid { get; init; }

    public string? ConferenceSid { get; init; }

    public required string DateCreated { get; init; }

    public required string DateUpdated { get; init; }

    public required string StartTime { get; init; }

    public required string Duration { get; init; }

    public required string Sid { get; init; }

    public string? Price { get; init; }

    public string PriceUnit { get; init; } = "USD";

    public required string Status { get; init; }

    public required int Channels { get; init; }

    public required string Source { get; init; }

    public int? ErrorCode { get; init; }

    public required string Uri { get; init; }

    public object? EncryptionDetails { get; init; }

    public required IReadOnlyDictionary<string, string> SubresourceUris { get; init; }

    /// <summary>Absolute URL of the audio without extension (<c>.wav</c> by default, <c>.mp3</c> on request).</summary>
    public required string MediaUrl { get; init; }

    public static RecordingResource Of(RecordingRecord recording, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ArgumentNullException.ThrowIfNull(request);
        var media = recording.MediaPath;
        return new RecordingResource
        {
            AccountSid = recording.AccountSid,
            CallSid = recording.CallSid,
            DateCreated = Rfc2822.Format(recording.DateCreated),
            DateUpdated = Rfc2822.Format(recording.DateUpdated),
            StartTime = Rfc2822.Format(recording.StartTime),
            Duration = recording.Duration.ToString(CultureInfo.InvariantCulture),
            Sid = recording.Sid,
            Status = recording.Status,
            Channels = recording.Channels,
            Source = recording.Source,
            Uri = ApiRoutes.Recording(recording.AccountSid, recording.Sid),
            SubresourceUris = new Dictionary<string, string>
            {
                ["add_on_results"] = media + "/AddOnResults.json",
                ["transcriptions"] = media + "/Transcriptions.json",
            },
            MediaUrl = $"{request.Scheme}://{request.Host}{media}",
        };
    }
}
