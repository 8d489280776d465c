using Azure.Data.Tables;
using Telephony.Core.Calls;

namespace Telephony.Core.Webhooks;

/// <summary>
/// Where a call that an IncomingPhoneNumber or an Application answers gets its TwiML and sends its status: the
/// voice fields both Twilio resources carry (VoiceUrl, VoiceMethod, VoiceFallbackUrl/Method, StatusCallback/Method).
/// </summary>
public sealed record VoiceWebhooks
{
    public string? Url { get; init; }

    public string Method { get; init; } = "POST";

    public string? FallbackUrl { get; init; }

    public string FallbackMethod { get; init; } = "POST";

    public string? StatusCallback { get; init; }

    public string StatusCallbackMethod { get; init; } = "POST";

    /// <summary>True when a call can be answered from these settings.</summary>
    public bool HasUrl => !string.IsNullOrEmpty(Url);

    /// <summary>The instructions of a call these settings answer (Twilio posts only the <c>completed</c> status for them).</summary>
    public CallInstructions ToInstructions() => new()
    {
        Url = Url,
        Method = Method,
        FallbackUrl = FallbackUrl,
        FallbackMethod = FallbackMethod,
        StatusCallback = StatusCallback,
        StatusCallbackMethod = StatusCallbackMethod,
    };

    /// <summary>Writes the settings as the row's columns, under their Twilio parameter names.</summary>
    internal void WriteTo(TableEntity entity)
    {
        entity["VoiceUrl"] = Url;
        entity["VoiceMethod"] = Method;
        entity["VoiceFallbackUrl"] = FallbackUrl;
        entity["VoiceFallbackMethod"] = FallbackMethod;
        entity["StatusCallback"] = StatusCallback;
        entity["StatusCallbackMethod"] = StatusCallbackMethod;
    }

    internal static VoiceWebhooks ReadFrom(TableEntity entity) => new()
    {
        Url = entity.GetString("VoiceUrl"),
        Method = entity.GetString("VoiceMethod") ?? "POST",
        FallbackUrl = entity.GetString("VoiceFallbackUrl"),
        FallbackMethod = entity.GetString("VoiceFallbackMethod") ?? "POST",
        StatusCallback = entity.GetString("StatusCallback"),
        StatusCallbackMethod = entity.GetString("StatusCallbackMethod") ?? "POST",
    };
}
