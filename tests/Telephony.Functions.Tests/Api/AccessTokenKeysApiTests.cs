using Telephony.Core.Accounts;
using Telephony.Core.Tokens;
using Telephony.Functions.Tests.Hosting;
using Telephony.Testing;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Api;

/// <summary>A key created through the real API (with Telephony:SecretsKey set) signs AccessTokens the verifier accepts; deleting it through the API revokes them.</summary>
[Collection(ApiCollection.Name)]
public sealed class AccessTokenKeysApiTests(ApiFixture api)
{
    private const string PlatformKey = "functions test platform key";

    [Fact]
    public async Task Keys_created_through_the_api_sign_sdk_tokens_until_deleted()
    {
        var settings = Settings(api.ConnectionString);
        settings[SecretSealer.Setting] = PlatformKey;
        await using var app = new FunctionsAppFactory(settings);
        using var admin = WithBasic(app.CreateClient(), "admin", AdminKey);
        var account = await Json(await admin.PostAsync("/2010-04-01/Accounts.json", Form(("FriendlyName", "token tenant"))), 201);
        var accountSid = account.GetProperty("sid").GetString()!;
        var authToken = account.GetProperty("auth_token").GetString()!;
        using var tenant = WithBasic(app.CreateClient(), accountSid, authToken);
        var key = await Json(await tenant.PostAsync($"/2010-04-01/Accounts/{accountSid}/Keys.json", Form(("FriendlyName", "tokens"))), 201);
        var keySid = key.GetProperty("sid").GetString()!;

        var tokens = await SdkTokenMinter.MintAsync(new
        {
            accountSid,
            keySid,
            keySecret = key.GetProperty("secret").GetString(),
            authToken,
            identity = "erin",
            tokens = new object[] { new { name = "access", kind = "access", algorithm = "HS512" } },
        });
        var sealer = new SecretSealer(PlatformKey);
        var verifier = new AccessTokenVerifier(new AccountStore(api.Storage, TimeProvider.System), new ApiKeyStore(api.Storage, TimeProvider.System, sealer), sealer, TimeProvider.System);
        Assert.Equal("erin", (await verifier.VerifyAsync(tokens["access"])).RequireIncomingIdentity());

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await tenant.DeleteAsync($"/2010-04-01/Accounts/{accountSid}/Keys/{keySid}.json")).StatusCode);
        var refused = await Assert.ThrowsAsync<Telephony.Core.Errors.TwilioException>(() => verifier.VerifyAsync(tokens["access"]));
        Assert.Equal(AccessTokenErrors.InvalidIssuerOrSubject, refused.Error.Code);
    }
}
