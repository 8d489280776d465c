using System.Text.Json;
using System.Text.Json.Serialization;
using Telephony.Twiml.Tests.Sdk;

namespace Telephony.Twiml.Tests.Signing;

/// <summary>One (authToken, signature, url, params | body) case for the twilio SDK's validators.</summary>
internal sealed record SdkSignatureCase(
    [property: JsonPropertyName("authToken")] string AuthToken,
    [property: JsonPropertyName("signature")] string Signature,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("params")] Dictionary<string, object>? Params,
    [property: JsonPropertyName("body")] string? Body)
{
    public static async Task<IReadOnlyList<SdkVerdict>> ValidateAsync(IEnumerable<SdkSignatureCase> cases)
    {
        var output = await NodeScript.RunAsync("webhooks.js", JsonSerializer.Serialize(cases));
        return JsonSerializer.Deserialize<List<SdkVerdict>>(output) ?? [];
    }

    /// <summary>Form parameters the way an Express body parser hands them to the SDK (repeated names become arrays).</summary>
    public static Dictionary<string, object> FormParams(IEnumerable<KeyValuePair<string, string>> pairs) =>
        pairs.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => g.Count() == 1 ? (object)g.First().Value : g.Select(p => p.Value).ToArray(),
            StringComparer.Ordinal);
}

internal sealed record SdkVerdict(
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("expected")] string Expected);
