namespace Telephony.Core.Numbers;

/// <summary>An account's IncomingPhoneNumber: the E.164 number it holds and where its calls go.</summary>
public sealed record PhoneNumberRecord
{
    public const string SidPrefix = "PN";

    public required string Sid { get; init; }

    public required string AccountSid { get; init; }

    public required string PhoneNumber { get; init; }

    public required string FriendlyName { get; init; }

    public string? VoiceUrl { get; init; }

    public string VoiceMethod { get; init; } = "POST";

    public string? VoiceFallbackUrl { get; init; }

    public string VoiceFallbackMethod { get; init; } = "POST";

    public string? StatusCallback { get; init; }

    public string StatusCallbackMethod { get; init; } = "POST";

    /// <summary>Accepted and stored (Twilio's Application resource is not implemented here).</summary>
    public string? VoiceApplicationSid { get; init; }

    public required DateTimeOffset DateCreated { get; init; }

    public required DateTimeOffset DateUpdated { get; init; }
}
