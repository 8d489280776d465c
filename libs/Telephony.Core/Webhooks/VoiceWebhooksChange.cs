using Telephony.Core.Parameters;

namespace Telephony.Core.Webhooks;

/// <summary>
/// The voice fields of a create or update form (IncomingPhoneNumbers, Applications): an absent field keeps the
/// current value, an empty URL clears it, as Twilio does.
/// </summary>
public sealed record VoiceWebhooksChange
{
    /// <summary>Null: unchanged; empty: cleared.</summary>
    public string? Url { get; init; }

    public string? Method { get; init; }

    /// <summary>Null: unchanged; empty: cleared.</summary>
    public string? FallbackUrl { get; init; }

    public string? FallbackMethod { get; init; }

    /// <summary>Null: unchanged; empty: cleared.</summary>
    public string? StatusCallback { get; init; }

    public string? StatusCallbackMethod { get; init; }

    /// <summary>Reads and validates VoiceUrl, VoiceMethod, VoiceFallbackUrl/Method and StatusCallback/Method.</summary>
    public static VoiceWebhooksChange Parse(RequestParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return new VoiceWebhooksChange
        {
            Url = ParseUrl(parameters, "VoiceUrl"),
            Method = ParseMethod(parameters, "VoiceMethod"),
            FallbackUrl = ParseUrl(parameters, "VoiceFallbackUrl"),
            FallbackMethod = ParseMethod(parameters, "VoiceFallbackMethod"),
            StatusCallback = ParseUrl(parameters, "StatusCallback"),
            StatusCallbackMethod = ParseMethod(parameters, "StatusCallbackMethod"),
        };
    }

    public VoiceWebhooks ApplyTo(VoiceWebhooks current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current with
        {
            Url = Cleared(Url, current.Url),
            Method = Method ?? current.Method,
            FallbackUrl = Cleared(FallbackUrl, current.FallbackUrl),
            FallbackMethod = FallbackMethod ?? current.FallbackMethod,
            StatusCallback = Cleared(StatusCallback, current.StatusCallback),
            StatusCallbackMethod = StatusCallbackMethod ?? current.StatusCallbackMethod,
        };
    }

    private static string? Cleared(string? change, string? current) => change is null ? current : change.Length == 0 ? null : change;

    /// <summary>An empty value (clear) or an absolute http(s) URL; null when absent.</summary>
    private static string? ParseUrl(RequestParameters parameters, string name) =>
        parameters.Single(name) is "" ? string.Empty : ParameterRules.AbsoluteHttpUrl(parameters, name);

    private static string? ParseMethod(RequestParameters parameters, string name) =>
        parameters.Has(name) ? ParameterRules.HttpMethod(parameters, name) : null;
}
