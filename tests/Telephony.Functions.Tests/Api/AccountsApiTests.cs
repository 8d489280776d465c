using System.Globalization;
using System.Net;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class AccountsApiTests(ApiFixture api)
{
    [Fact]
    public async Task The_operator_creates_an_active_tenant_in_Twilio_shape()
    {
        using var admin = api.Admin();
        var json = await Json(await admin.PostAsync("/2010-04-01/Accounts.json", Form(("FriendlyName", "Acme"))), 201);

        var sid = json.GetProperty("sid").GetString()!;
        Assert.Matches("^AC[0-9a-f]{32}$", sid);
        Assert.Matches("^[0-9a-f]{32}$", json.GetProperty("auth_token").GetString()!);
        Assert.Equal("active", json.GetProperty("status").GetString());
        Assert.Equal("Acme", json.GetProperty("friendly_name").GetString());
        Assert.Equal($"/2010-04-01/Accounts/{sid}.json", json.GetProperty("uri").GetString());
        Assert.Equal($"/2010-04-01/Accounts/{sid}/Calls.json", json.GetProperty("subresource_uris").GetProperty("calls").GetString());
        var created = DateTimeOffset.ParseExact(json.GetProperty("date_created").GetString()!, "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - created).TotalMinutes) < 5);
    }

    [Fact]
    public async Task Only_the_right_operator_key_manages_accounts()
    {
        using var wrong = api.Client("admin", "not-the-key");
        await TwilioError(await wrong.PostAsync("/2010-04-01/Accounts.json", Form(("FriendlyName", "x"))), 401, 20003);

        var tenant = await api.CreateTenantAsync();
        await TwilioError(await tenant.Client.PostAsync("/2010-04-01/Accounts.json", Form(("FriendlyName", "x"))), 403, 20403);
        await TwilioError(await tenant.Client.PostAsync($"/2010-04-01/Accounts/{tenant.Sid}.json", Form(("Status", "active"))), 403, 20403);
    }

    [Fact]
    public async Task A_tenant_sees_only_itself()
    {
        var a = await api.CreateTenantAsync("a");
        var b = await api.CreateTenantAsync("b");

        var own = await Json(await a.Client.GetAsync($"/2010-04-01/Accounts/{a.Sid}.json"), 200);
        Assert.Equal(a.Sid, own.GetProperty("sid").GetString());
        await TwilioError(await a.Client.GetAsync($"/2010-04-01/Accounts/{b.Sid}.json"), 401, 20003);
        var list = await Json(await a.Client.GetAsync("/2010-04-01/Accounts.json"), 200);
        Assert.Equal(a.Sid, Assert.Single(list.GetProperty("accounts").EnumerateArray()).GetProperty("sid").GetString());

        var renamed = await Json(await a.Client.PostAsync($"/2010-04-01/Accounts/{a.Sid}.json", Form(("FriendlyName", "renamed"))), 200);
        Assert.Equal("renamed", renamed.GetProperty("friendly_name").GetString());
    }

    [Fact]
    public async Task Suspended_and_closed_tenants_are_refused_and_closed_is_final()
    {
        using var admin = api.Admin();
        var tenant = await api.CreateTenantAsync();

        var suspended = await Json(await admin.PostAsync($"/2010-04-01/Accounts/{tenant.Sid}.json", Form(("Status", "suspended"))), 200);
        Assert.Equal("suspended", suspended.GetProperty("status").GetString());
        await TwilioError(await CreateCallAsync(tenant), 401, 20003);

        await Json(await admin.PostAsync($"/2010-04-01/Accounts/{tenant.Sid}.json", Form(("Status", "active"))), 200);
        await Json(await CreateCallAsync(tenant), 201);

        await Json(await admin.PostAsync($"/2010-04-01/Accounts/{tenant.Sid}.json", Form(("Status", "closed"))), 200);
        await TwilioError(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json"), 401, 20003);
        await TwilioError(await admin.PostAsync($"/2010-04-01/Accounts/{tenant.Sid}.json", Form(("Status", "active"))), 400, 20001);
        await TwilioError(await admin.PostAsync($"/2010-04-01/Accounts/{tenant.Sid}.json", Form(("Status", "gone"))), 400, 20001);
    }

    [Fact]
    public async Task The_operator_pages_through_all_accounts()
    {
        using var admin = api.Admin();
        var created = new HashSet<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await api.CreateTenantAsync("pager" + i)).Sid);
        }

        var seen = new List<string>();
        string? next = "/2010-04-01/Accounts.json?PageSize=2";
        while (next is not null)
        {
            var page = await Json(await admin.GetAsync(next), 200);
            Assert.True(page.GetProperty("accounts").GetArrayLength() <= 2);
            seen.AddRange(page.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("sid").GetString()!));
            next = page.GetProperty("next_page_uri").GetString();
        }

        Assert.Subset(seen.ToHashSet(), created);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        await TwilioError(await admin.GetAsync($"/2010-04-01/Accounts/AC{new string('0', 32)}.json"), 404, 20404);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/2010-04-01/Accounts.json")).StatusCode);
    }
}
