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

    public string? VoiceUrl { get; init; }

    public string VoiceMethod { get; init; } = "POST";

    public string? VoiceFallbackUrl { get; init; }

    public string VoiceFallbackMethod { get; init; } = "POST";

    public string? StatusCallback { get; init; }

    public string StatusCallbackMethod { get; init; } = "POST";

    public required DateTimeOffset DateCreated { get; init; }

    public required DateTimeOffset DateUpdated { get; init; }
}
