using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Telephony.Testing;

/// <summary>
/// The operator's set-up of a platform started on loopback (tests and benches): a tenant through the admin API and
/// numbers bought for it, all over the real REST API.
/// </summary>
public static class PlatformAdmin
{
    /// <summary>
    /// Creates a tenant with <paramref name="callsPerSecond"/> as its admission rate and makes <paramref name="api"/>
    /// authenticate as it; returns its sid and auth token.
    /// </summary>
    /// <param name="maxConcurrentCalls">The tenant's concurrent-call limit (inbound and outbound); null keeps the default.</param>
    public static async Task<(string Sid, string AuthToken)> CreateTenantAsync(
        HttpClient api, string adminKey, int callsPerSecond, string friendlyName = "loopback tenant", int? maxConcurrentCalls = null)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2010-04-01/Accounts.json")
        {
            Content = new FormUrlEncodedContent([new("FriendlyName", friendlyName)]),
        };
        request.Headers.Authorization = Basic("admin", adminKey);
        var json = await JsonAsync(await api.SendAsync(request), 201);
        var sid = json.GetProperty("sid").GetString()!;

        using var limits = new HttpRequestMessage(HttpMethod.Post, $"/v1/Accounts/{sid}/Limits")
        {
            Content = new FormUrlEncodedContent(maxConcurrentCalls is { } max
                ? [new("CallsPerSecond", callsPerSecond.ToString(CultureInfo.InvariantCulture)), new("MaxConcurrentCalls", max.ToString(CultureInfo.InvariantCulture))]
                : [new("CallsPerSecond", callsPerSecond.ToString(CultureInfo.InvariantCulture))]),
        };
        limits.Headers.Authorization = Basic("admin", adminKey);
        await JsonAsync(await api.SendAsync(limits), 200);

        var authToken = json.GetProperty("auth_token").GetString()!;
        api.DefaultRequestHeaders.Authorization = Basic(sid, authToken);
        return (sid, authToken);
    }

    /// <summary>
    /// Puts <paramref name="number"/> in the operator's inventory and buys it for the tenant <paramref name="api"/>
    /// authenticates as, with the given IncomingPhoneNumbers fields (VoiceUrl…); returns the PN sid.
    /// </summary>
    public static async Task<string> BuyNumberAsync(HttpClient api, string adminKey, string accountSid, string number, params (string Name, string Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(api);
        using var inventory = new HttpRequestMessage(HttpMethod.Post, "/v1/PhoneNumbers")
        {
            Content = new FormUrlEncodedContent([new("PhoneNumber", number)]),
        };
        inventory.Headers.Authorization = Basic("admin", adminKey);
        await JsonAsync(await api.SendAsync(inventory), 201);

        var form = new List<KeyValuePair<string, string>> { new("PhoneNumber", number) };
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        var json = await JsonAsync(await api.PostAsync($"/2010-04-01/Accounts/{accountSid}/IncomingPhoneNumbers.json", new FormUrlEncodedContent(form)), 201);
        return json.GetProperty("sid").GetString()!;
    }

    public static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret)));

    /// <summary>The JSON body of <paramref name="response"/>, or an exception carrying the body when the status is not <paramref name="status"/>.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, int status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != status)
        {
            throw new HttpRequestException($"expected {status}, got {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
