using System.Text.Json;

namespace Telephony.MediaNode.Tests.Presence;

/// <summary>Client AccessTokens for the fixture's tenant: an API key created through the API, tokens minted by the twilio npm SDK.</summary>
internal static class ClientTokens
{
    /// <summary>"voice" (incoming grant, plus outgoing when <paramref name="applicationSid"/> is given) and "outgoingOnly".</summary>
    public static Task<IReadOnlyDictionary<string, string>> MintAsync(PlatformFixture platform, string identity, string? applicationSid = null, IReadOnlyDictionary<string, string>? parameters = null) =>
        MintAsync(platform.Api, platform.AccountSid, identity, applicationSid, parameters);

    /// <summary>The same for any tenant: <paramref name="api"/> authenticates as <paramref name="accountSid"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> MintAsync(HttpClient api, string accountSid, string identity, string? applicationSid = null, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var response = await api.PostAsync(
            $"/2010-04-01/Accounts/{accountSid}/Keys.json",
            new FormUrlEncodedContent([new("FriendlyName", "clients of " + identity)]));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        var key = JsonDocument.Parse(body).RootElement;
        var outgoingApp = applicationSid ?? "AP" + new string('0', 32);
        return await Telephony.Testing.SdkTokenMinter.MintAsync(new
        {
            accountSid,
            keySid = key.GetProperty("sid").GetString(),
            keySecret = key.GetProperty("secret").GetString(),
            authToken = string.Empty,
            identity,
            tokens = new object[]
            {
                new { name = "voice", kind = "access", ttl = 3600, appSid = applicationSid, @params = parameters },
                new { name = "outgoingOnly", kind = "access", incoming = false, appSid = outgoingApp },
            },
        });
    }
}
