using Telephony.Core.Webhooks;

namespace Telephony.Core.Applications;

/// <summary>
/// A TwiML application (Twilio's Application resource): the voice URLs a client's outgoing call
/// (<c>grants.voice.outgoing.application_sid</c>) is routed to.
/// </summary>
public sealed record ApplicationRecord
{
    public const string SidPrefix = "AP";

    public required string Sid { get; init; }

    public required string AccountSid { get; init; }

    public required string FriendlyName { get; init; }

    /// <summary>VoiceUrl, VoiceMethod, VoiceFallbackUrl/Method, StatusCallback/Method.</summary>
    public VoiceWebhooks Voice { get; init; } = new();

    public required DateTimeOffset DateCreated { get; init; }

    public required DateTimeOffset DateUpdated { get; init; }
}
