using System.Text.Json;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class KeysApiTests(ApiFixture api)
{
    [Fact]
    public async Task A_key_authenticates_like_the_auth_token_until_deleted()
    {
        var tenant = await api.CreateTenantAsync();
        var created = await Json(await tenant.Client.PostAsync($"/2010-04-01/Accounts/{tenant.Sid}/Keys.json", Form(("FriendlyName", "ci"))), 201);
        var keySid = created.GetProperty("sid").GetString()!;
        var secret = created.GetProperty("secret").GetString()!;
        Assert.Matches("^SK[0-9a-f]{32}$", keySid);
        Assert.Equal(32, secret.Length);

        using var byKey = api.Client(keySid, secret);
        await Json(await CreateCallAsync(tenant with { Client = byKey }), 201);
        var fetched = await Json(await byKey.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Keys/{keySid}.json"), 200);
        Assert.False(fetched.TryGetProperty("secret", out _));
        Assert.Equal("ci", fetched.GetProperty("friendly_name").GetString());
        var renamed = await Json(await byKey.PostAsync($"/2010-04-01/Accounts/{tenant.Sid}/Keys/{keySid}.json", Form(("FriendlyName", "deploy"))), 200);
        Assert.Equal("deploy", renamed.GetProperty("friendly_name").GetString());
        var list = await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Keys.json"), 200);
        Assert.Equal(keySid, Assert.Single(list.GetProperty("keys").EnumerateArray()).GetProperty("sid").GetString());

        using var wrongSecret = api.Client(keySid, secret + "x");
        await TwilioError(await wrongSecret.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json"), 401, 20003);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/2010-04-01/Accounts/{tenant.Sid}/Keys/{keySid}.json")).StatusCode);
        await TwilioError(await byKey.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json"), 401, 20003);
        await TwilioError(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Keys/{keySid}.json"), 404, 20404);
    }

    [Fact]
    public async Task Another_tenant_cannot_use_a_key_on_a_foreign_account()
    {
        var a = await api.CreateTenantAsync("a");
        var b = await api.CreateTenantAsync("b");
        var key = await Json(await b.Client.PostAsync($"/2010-04-01/Accounts/{b.Sid}/Keys.json", Form(("FriendlyName", "b"))), 201);

        using var bKey = api.Client(key.GetProperty("sid").GetString()!, key.GetProperty("secret").GetString()!);

        await TwilioError(await bKey.GetAsync($"/2010-04-01/Accounts/{a.Sid}/Calls.json"), 401, 20003);
        Assert.Equal(JsonValueKind.Array, (await Json(await bKey.GetAsync($"/2010-04-01/Accounts/{b.Sid}/Calls.json"), 200)).GetProperty("calls").ValueKind);
    }
}
