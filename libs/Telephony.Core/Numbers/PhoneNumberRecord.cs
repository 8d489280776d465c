using Telephony.Core.Webhooks;

namespace Telephony.Core.Numbers;

/// <summary>An account's IncomingPhoneNumber: the E.164 number it holds and where its calls go.</summary>
public sealed record PhoneNumberRecord
{
    public const string SidPrefix = "PN";

    public required string Sid { get; init; }

    public required string AccountSid { get; init; }

    public required string PhoneNumber { get; init; }

    public required string FriendlyName { get; init; }

    /// <summary>VoiceUrl, VoiceMethod, VoiceFallbackUrl/Method, StatusCallback/Method.</summary>
    public VoiceWebhooks Voice { get; init; } = new();

    /// <summary>The Application whose voice settings answer calls when the number has no VoiceUrl of its own.</summary>
    public string? VoiceApplicationSid { get; init; }

    public required DateTimeOffset DateCreated { get; init; }

    public required DateTimeOffset DateUpdated { get; init; }
}
