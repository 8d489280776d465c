using Telephony.Core.Accounts;
using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Core.Parameters;

namespace Telephony.Core.Numbers;

/// <summary>
/// The settable fields of <c>POST IncomingPhoneNumbers[/{PN}].json</c>. Absent fields keep their value;
/// an empty URL or VoiceApplicationSid clears it, as Twilio does.
/// </summary>
public sealed record PhoneNumberChange
{
    private static readonly string[] UrlNames = ["VoiceUrl", "VoiceFallbackUrl", "StatusCallback"];

    private readonly Dictionary<string, string?> _urls = new(StringComparer.Ordinal);

    public string? FriendlyName { get; private init; }

    public string? VoiceMethod { get; private init; }

    public string? VoiceFallbackMethod { get; private init; }

    public string? StatusCallbackMethod { get; private init; }

    /// <summary>Null: unchanged; empty: cleared.</summary>
    public string? VoiceApplicationSid { get; private init; }

    public static PhoneNumberChange Parse(RequestParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var change = new PhoneNumberChange
        {
            FriendlyName = AccountUpdate.ParseFriendlyName(parameters),
            VoiceMethod = Method(parameters, "VoiceMethod"),
            VoiceFallbackMethod = Method(parameters, "VoiceFallbackMethod"),
            StatusCallbackMethod = Method(parameters, "StatusCallbackMethod"),
            VoiceApplicationSid = ApplicationSid(parameters),
        };
        foreach (var name in UrlNames)
        {
            if (parameters.Has(name))
            {
                change._urls[name] = parameters.Single(name) is "" ? string.Empty : ParameterRules.AbsoluteHttpUrl(parameters, name);
            }
        }

        return change;
    }

    public PhoneNumberRecord ApplyTo(PhoneNumberRecord current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with
        {
            FriendlyName = FriendlyName ?? current.FriendlyName,
            VoiceUrl = Url("VoiceUrl", current.VoiceUrl),
            VoiceMethod = VoiceMethod ?? current.VoiceMethod,
            VoiceFallbackUrl = Url("VoiceFallbackUrl", current.VoiceFallbackUrl),
            VoiceFallbackMethod = VoiceFallbackMethod ?? current.VoiceFallbackMethod,
            StatusCallback = Url("StatusCallback", current.StatusCallback),
            StatusCallbackMethod = StatusCallbackMethod ?? current.StatusCallbackMethod,
            VoiceApplicationSid = VoiceApplicationSid is null ? current.VoiceApplicationSid : NullIfEmpty(VoiceApplicationSid),
        };
    }

    private string? Url(string name, string? current) => _urls.TryGetValue(name, out var value) ? NullIfEmpty(value) : current;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string? Method(RequestParameters parameters, string name) =>
        parameters.Single(name) is null ? null : ParameterRules.HttpMethod(parameters, name);

    private static string? ApplicationSid(RequestParameters parameters)
    {
        var value = parameters.Single("VoiceApplicationSid");
        return value is null or "" || Sid.IsValid(value, "AP")
            ? value
            : throw RequestParameters.Invalid(TwilioErrorCodes.InvalidParameter, "VoiceApplicationSid must be an AP sid (AP + 32 hex digits).");
    }
}
