using Telephony.Core.Accounts;
using Telephony.Core.Parameters;

namespace Telephony.Core.Applications;

/// <summary>
/// The form of <c>POST Applications.json</c> / <c>Applications/{AP}.json</c>; absent fields leave the
/// current value (an empty URL clears it, as Twilio does).
/// </summary>
public sealed record ApplicationChange
{
    public string? FriendlyName { get; init; }

    public string? VoiceUrl { get; init; }

    public string? VoiceMethod { get; init; }

    public string? VoiceFallbackUrl { get; init; }

    public string? VoiceFallbackMethod { get; init; }

    public string? StatusCallback { get; init; }

    public string? StatusCallbackMethod { get; init; }

    /// <summary>Parses and validates; unknown parameters are refused (20001).</summary>
    public static ApplicationChange Parse(RequestParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var change = new ApplicationChange
        {
            FriendlyName = AccountUpdate.ParseFriendlyName(parameters),
            VoiceUrl = Url(parameters, "VoiceUrl"),
            VoiceMethod = Method(parameters, "VoiceMethod"),
            VoiceFallbackUrl = Url(parameters, "VoiceFallbackUrl"),
            VoiceFallbackMethod = Method(parameters, "VoiceFallbackMethod"),
            StatusCallback = Url(parameters, "StatusCallback"),
            StatusCallbackMethod = Method(parameters, "StatusCallbackMethod"),
        };
        parameters.RejectUnread();
        return change;
    }

    public ApplicationRecord ApplyTo(ApplicationRecord current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with
        {
            FriendlyName = FriendlyName ?? current.FriendlyName,
            VoiceUrl = Cleared(VoiceUrl, current.VoiceUrl),
            VoiceMethod = VoiceMethod ?? current.VoiceMethod,
            VoiceFallbackUrl = Cleared(VoiceFallbackUrl, current.VoiceFallbackUrl),
            VoiceFallbackMethod = VoiceFallbackMethod ?? current.VoiceFallbackMethod,
            StatusCallback = Cleared(StatusCallback, current.StatusCallback),
            StatusCallbackMethod = StatusCallbackMethod ?? current.StatusCallbackMethod,
        };
    }

    private static string? Cleared(string? change, string? current) => change is null ? current : change.Length == 0 ? null : change;

    /// <summary>An empty value (clear) or an absolute http(s) URL; null when absent.</summary>
    private static string? Url(RequestParameters parameters, string name) =>
        parameters.Single(name) is "" ? string.Empty : ParameterRules.AbsoluteHttpUrl(parameters, name);

    private static string? Method(RequestParameters parameters, string name) =>
        parameters.Has(name) ? ParameterRules.HttpMethod(parameters, name) : null;
}
