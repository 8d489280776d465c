using Telephony.Core.Accounts;
using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Core.Parameters;
using Telephony.Core.Webhooks;

namespace Telephony.Core.Numbers;

/// <summary>
/// The settable fields of <c>POST IncomingPhoneNumbers[/{PN}].json</c>. Absent fields keep their value;
/// an empty URL or VoiceApplicationSid clears it, as Twilio does.
/// </summary>
public sealed record PhoneNumberChange
{
    public string? FriendlyName { get; private init; }

    public VoiceWebhooksChange Voice { get; private init; } = new();

    /// <summary>Null: unchanged; empty: cleared.</summary>
    public string? VoiceApplicationSid { get; private init; }

    public static PhoneNumberChange Parse(RequestParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new PhoneNumberChange
        {
            FriendlyName = AccountUpdate.ParseFriendlyName(parameters),
            Voice = VoiceWebhooksChange.Parse(parameters),
            VoiceApplicationSid = ApplicationSid(parameters),
        };
    }

    public PhoneNumberRecord ApplyTo(PhoneNumberRecord current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with
        {
            FriendlyName = FriendlyName ?? current.FriendlyName,
            Voice = Voice.ApplyTo(current.Voice),
            VoiceApplicationSid = VoiceApplicationSid is null ? current.VoiceApplicationSid : NullIfEmpty(VoiceApplicationSid),
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? ApplicationSid(RequestParameters parameters)
    {
        var value = parameters.Single("VoiceApplicationSid");
        return value is null or "" || Sid.IsValid(value, "AP")
            ? value
            : throw RequestParameters.Invalid(TwilioErrorCodes.InvalidParameter, "VoiceApplicationSid must be an AP sid (AP + 32 hex digits).");
    }
}
