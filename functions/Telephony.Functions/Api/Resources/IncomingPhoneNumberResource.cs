using Telephony.Core.Numbers;
using Telephony.Core.Text;

namespace Telephony.Functions.Api.Resources;

/// <summary>The IncomingPhoneNumber resource as Twilio's 2010-04-01 API returns it (voice only: no SMS, no emergency, no bundles).</summary>
internal sealed record IncomingPhoneNumberResource
{
    public required string AccountSid { get; init; }

    public string? AddressSid { get; init; }

    public string AddressRequirements { get; init; } = "none";

    public string ApiVersion { get; init; } = "2010-04-01";

    public bool Beta { get; init; }

    public IReadOnlyDictionary<string, bool> Capabilities { get; init; } =
        new Dictionary<string, bool> { ["voice"] = true, ["sms"] = false, ["mms"] = false, ["fax"] = false };

    public required string DateCreated { get; init; }

    public required string DateUpdated { get; init; }

    public required string FriendlyName { get; init; }

    public string? IdentitySid { get; init; }

    public required string PhoneNumber { get; init; }

    public string Origin { get; init; } = "hosted";

    public required string Sid { get; init; }

    public string SmsApplicationSid { get; init; } = string.Empty;

    public string SmsFallbackMethod { get; init; } = "POST";

    public string SmsFallbackUrl { get; init; } = string.Empty;

    public string SmsMethod { get; init; } = "POST";

    public string SmsUrl { get; init; } = string.Empty;

    public required string StatusCallback { get; init; }

    public required string StatusCallbackMethod { get; init; }

    public string? TrunkSid { get; init; }

    public required string Uri { get; init; }

    public string VoiceReceiveMode { get; init; } = "voice";

    public required string VoiceApplicationSid { get; init; }

    public bool VoiceCallerIdLookup { get; init; }

    public required string VoiceFallbackMethod { get; init; }

    public string? VoiceFallbackUrl { get; init; }

    public required string VoiceMethod { get; init; }

    public string? VoiceUrl { get; init; }

    public string EmergencyStatus { get; init; } = "Inactive";

    public string? EmergencyAddressSid { get; init; }

    public string EmergencyAddressStatus { get; init; } = "unregistered";

    public string? BundleSid { get; init; }

    public string Status { get; init; } = "in-use";

    public required IReadOnlyDictionary<string, string> SubresourceUris { get; init; }

    public static IncomingPhoneNumberResource Of(PhoneNumberRecord number)
    {
        ArgumentNullException.ThrowIfNull(number);
        return new IncomingPhoneNumberResource
        {
            AccountSid = number.AccountSid,
            DateCreated = Rfc2822.Format(number.DateCreated),
            DateUpdated = Rfc2822.Format(number.DateUpdated),
            FriendlyName = number.FriendlyName,
            PhoneNumber = number.PhoneNumber,
            Sid = number.Sid,
            StatusCallback = number.Voice.StatusCallback ?? string.Empty,
            StatusCallbackMethod = number.Voice.StatusCallbackMethod,
            Uri = ApiRoutes.IncomingPhoneNumber(number.AccountSid, number.Sid),
            VoiceApplicationSid = number.VoiceApplicationSid ?? string.Empty,
            VoiceFallbackMethod = number.Voice.FallbackMethod,
            VoiceFallbackUrl = number.Voice.FallbackUrl,
            VoiceMethod = number.Voice.Method,
            VoiceUrl = number.Voice.Url,
            SubresourceUris = new Dictionary<string, string>
            {
                ["assigned_add_ons"] = $"{ApiRoutes.Version}/Accounts/{number.AccountSid}/IncomingPhoneNumbers/{number.Sid}/AssignedAddOns.json",
            },
        };
    }
}
