using System.Net;
using System.Text.Json;
using static Telephony.Functions.Tests.Api.ApiFixture;
using static Telephony.Functions.Tests.Api.PhoneNumberTestData;

namespace Telephony.Functions.Tests.Api;

/// <summary>IncomingPhoneNumbers and the operator inventory through the real HTTP pipeline on Azurite.</summary>
[Collection(ApiCollection.Name)]
public sealed class IncomingPhoneNumbersApiTests(ApiFixture api)
{
    private static string Numbers(Tenant t) => $"/2010-04-01/Accounts/{t.Sid}/IncomingPhoneNumbers.json";

    private static string Number(Tenant t, string sid) => $"/2010-04-01/Accounts/{t.Sid}/IncomingPhoneNumbers/{sid}.json";

    [Fact]
    public async Task Create_fetch_update_list_and_delete_a_number_in_Twilio_shape()
    {
        var tenant = await api.CreateTenantAsync();
        var number = NewNumber();
        await AddToInventoryAsync(api, number);

        var created = await Json(await tenant.Client.PostAsync(Numbers(tenant), Form(
            ("PhoneNumber", number), ("VoiceUrl", "https://app.example/voice"), ("VoiceMethod", "get"),
            ("VoiceFallbackUrl", "https://app.example/fallback"), ("StatusCallback", "https://app.example/status"),
            ("VoiceApplicationSid", "AP" + new string('a', 32)))), 201);
        var sid = created.GetProperty("sid").GetString()!;
        Assert.Matches("^PN[0-9a-f]{32}$", sid);
        Assert.Equal(number, created.GetProperty("phone_number").GetString());
        Assert.Equal($"({number[2..5]}) {number[5..8]}-{number[8..]}", created.GetProperty("friendly_name").GetString());
        Assert.Equal(tenant.Sid, created.GetProperty("account_sid").GetString());
        Assert.Equal("https://app.example/voice", created.GetProperty("voice_url").GetString());
        Assert.Equal("GET", created.GetProperty("voice_method").GetString());
        Assert.Equal("https://app.example/fallback", created.GetProperty("voice_fallback_url").GetString());
        Assert.Equal("POST", created.GetProperty("voice_fallback_method").GetString());
        Assert.Equal("https://app.example/status", created.GetProperty("status_callback").GetString());
        Assert.Equal("AP" + new string('a', 32), created.GetProperty("voice_application_sid").GetString());
        Assert.True(created.GetProperty("capabilities").GetProperty("voice").GetBoolean());
        Assert.Equal(Number(tenant, sid), created.GetProperty("uri").GetString());
        Assert.EndsWith("+0000", created.GetProperty("date_created").GetString(), StringComparison.Ordinal);

        var fetched = await Json(await tenant.Client.GetAsync(Number(tenant, sid)), 200);
        Assert.Equal(created.GetRawText(), fetched.GetRawText());

        var updated = await Json(await tenant.Client.PostAsync(Number(tenant, sid), Form(
            ("FriendlyName", "support line"), ("VoiceUrl", "https://app.example/v2"), ("VoiceFallbackUrl", ""))), 200);
        Assert.Equal("support line", updated.GetProperty("friendly_name").GetString());
        Assert.Equal("https://app.example/v2", updated.GetProperty("voice_url").GetString());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("voice_fallback_url").ValueKind);
        Assert.Equal("GET", updated.GetProperty("voice_method").GetString());

        var account = await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}.json"), 200);
        Assert.Equal(Numbers(tenant), account.GetProperty("subresource_uris").GetProperty("incoming_phone_numbers").GetString());
        Assert.Equal($"/2010-04-01/Accounts/{tenant.Sid}/Recordings.json", account.GetProperty("subresource_uris").GetProperty("recordings").GetString());

        var list = await Json(await tenant.Client.GetAsync(Numbers(tenant)), 200);
        Assert.Equal(sid, Assert.Single(list.GetProperty("incoming_phone_numbers").EnumerateArray()).GetProperty("sid").GetString());

        using var admin = api.Admin();
        var held = await InventoryEntryAsync(admin, number);
        Assert.Equal(tenant.Sid, held.GetProperty("account_sid").GetString());
        Assert.Equal(sid, held.GetProperty("phone_number_sid").GetString());
        Assert.Equal("in-use", held.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync(Number(tenant, sid))).StatusCode);
        await TwilioError(await tenant.Client.GetAsync(Number(tenant, sid)), 404, 20404);
        await TwilioError(await tenant.Client.DeleteAsync(Number(tenant, sid)), 404, 20404);
        Assert.Equal(JsonValueKind.Null, (await InventoryEntryAsync(admin, number)).GetProperty("account_sid").ValueKind);

        // Released: it can be taken again.
        await Json(await tenant.Client.PostAsync(Numbers(tenant), Form(("PhoneNumber", number))), 201);
    }

    [Fact]
    public async Task Paging_and_filters_by_phone_number_and_friendly_name()
    {
        var tenant = await api.CreateTenantAsync();
        var numbers = Enumerable.Range(0, 5).Select(_ => NewNumber()).ToList();
        var sids = new List<string>();
        foreach (var (number, i) in numbers.Select((n, i) => (n, i)))
        {
            await AddToInventoryAsync(api, number);
            var created = await Json(await tenant.Client.PostAsync(Numbers(tenant), Form(("PhoneNumber", number), ("FriendlyName", i % 2 == 0 ? "even" : "odd"))), 201);
            sids.Add(created.GetProperty("sid").GetString()!);
        }

        var seen = new List<string>();
        string? next = Numbers(tenant) + "?PageSize=2";
        while (next is not null)
        {
            var page = await Json(await tenant.Client.GetAsync(next), 200);
            Assert.True(page.GetProperty("incoming_phone_numbers").GetArrayLength() <= 2);
            seen.AddRange(page.GetProperty("incoming_phone_numbers").EnumerateArray().Select(n => n.GetProperty("sid").GetString()!));
            next = page.GetProperty("next_page_uri").GetString();
        }

        Assert.Equal(sids.Order(StringComparer.Ordinal), seen);

        var even = await Json(await tenant.Client.GetAsync(Numbers(tenant) + "?FriendlyName=even"), 200);
        Assert.Equal(3, even.GetProperty("incoming_phone_numbers").GetArrayLength());

        var exact = await Json(await tenant.Client.GetAsync(Numbers(tenant) + "?PhoneNumber=" + Uri.EscapeDataString(numbers[3])), 200);
        Assert.Equal(sids[3], Assert.Single(exact.GetProperty("incoming_phone_numbers").EnumerateArray()).GetProperty("sid").GetString());

        var partial = numbers[1][^4..];
        var wildcard = "*" + partial[1..];
        var matched = await Json(await tenant.Client.GetAsync(Numbers(tenant) + "?PhoneNumber=" + Uri.EscapeDataString(wildcard)), 200);
        Assert.Contains(sids[1], matched.GetProperty("incoming_phone_numbers").EnumerateArray().Select(n => n.GetProperty("sid").GetString()));
    }

    [Fact]
    public async Task Another_tenant_cannot_see_change_or_take_a_held_number()
    {
        var a = await api.CreateTenantAsync("a");
        var b = await api.CreateTenantAsync("b");
        var number = NewNumber();
        await AddToInventoryAsync(api, number);
        var sid = (await Json(await a.Client.PostAsync(Numbers(a), Form(("PhoneNumber", number))), 201)).GetProperty("sid").GetString()!;

        await TwilioError(await b.Client.PostAsync(Numbers(b), Form(("PhoneNumber", number))), 400, 21422);
        await TwilioError(await a.Client.PostAsync(Numbers(a), Form(("PhoneNumber", number))), 400, 21422);
        await TwilioError(await b.Client.GetAsync(Number(b, sid)), 404, 20404);
        await TwilioError(await b.Client.DeleteAsync(Number(b, sid)), 404, 20404);
        await TwilioError(await b.Client.GetAsync(Number(a, sid)), 401, 20003);
        Assert.Equal(0, (await Json(await b.Client.GetAsync(Numbers(b)), 200)).GetProperty("incoming_phone_numbers").GetArrayLength());
        await Json(await a.Client.GetAsync(Number(a, sid)), 200);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_number_give_it_to_exactly_one_account()
    {
        var tenants = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => api.CreateTenantAsync("race" + i)));
        var number = NewNumber();
        await AddToInventoryAsync(api, number);

        var responses = await Task.WhenAll(tenants.Select(t => t.Client.PostAsync(Numbers(t), Form(("PhoneNumber", number)))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await TwilioError(refused, 400, 21422);
        }

        var winner = tenants[Array.FindIndex(responses, r => r.StatusCode == HttpStatusCode.Created)];
        using var admin = api.Admin();
        Assert.Equal(winner.Sid, (await InventoryEntryAsync(admin, number)).GetProperty("account_sid").GetString());
    }

    [Fact]
    public async Task Validation_errors_carry_Twilio_codes()
    {
        var tenant = await api.CreateTenantAsync();
        var number = NewNumber();
        await AddToInventoryAsync(api, number);

        await TwilioError(await tenant.Client.PostAsync(Numbers(tenant), Form(("FriendlyName", "x"))), 400, 21421);
        await TwilioError(await tenant.Client.PostAsync(Numbers(tenant), Form(("PhoneNumber", "5551234567"))), 400, 21421);
        await TwilioError(await tenant.Client.PostAsync(Numbers(tenant), Form(("PhoneNumber", "+0123"))), 400, 21421);
        await TwilioError(await tenant.Client.PostAsync(Numbers(tenant), Form(("PhoneNumber", NewNumber()))), 400, 21422);
        await TwilioError(await tenant.Client.PostAsync(Numbers(tenant), Form(("PhoneNumber", number), ("VoiceUrl", "ftp://x"))), 400, 21205);
        await TwilioError(await tenant.Client.PostAsync(Numbers(tenant), Form(("PhoneNumber", number), ("VoiceMethod", "PUT"))), 400, 21207);
        await TwilioError(await tenant.Client.PostAsync(Numbers(tenant), Form(("PhoneNumber", number), ("SmsUrl", "https://x.example"))), 400, 20001);
        await TwilioError(await tenant.Client.PostAsync(Numbers(tenant), Form(("PhoneNumber", number), ("VoiceApplicationSid", "nope"))), 400, 20001);
        await TwilioError(await tenant.Client.GetAsync(Numbers(tenant) + "?PageToken=PAxyz"), 400, 20001);

        // None of the refusals took the number.
        await Json(await tenant.Client.PostAsync(Numbers(tenant), Form(("PhoneNumber", number))), 201);
    }

    [Fact]
    public async Task The_inventory_is_operator_only_and_validates_numbers()
    {
        var tenant = await api.CreateTenantAsync();
        await TwilioError(await tenant.Client.PostAsync("/v1/PhoneNumbers", Form(("PhoneNumber", NewNumber()))), 403, 20403);
        await TwilioError(await tenant.Client.GetAsync("/v1/PhoneNumbers"), 403, 20403);
        using var anonymous = api.App.CreateClient();
        await TwilioError(await anonymous.GetAsync("/v1/PhoneNumbers"), 401, 20003);

        using var admin = api.Admin();
        await TwilioError(await admin.PostAsync("/v1/PhoneNumbers", Form(("PhoneNumber", "12345"))), 400, 21421);
        var number = NewNumber();
        var first = await Json(await admin.PostAsync("/v1/PhoneNumbers", Form(("PhoneNumber", number))), 201);
        var again = await Json(await admin.PostAsync("/v1/PhoneNumbers", Form(("PhoneNumber", number))), 201);
        Assert.Equal(first.GetProperty("date_added").GetString(), again.GetProperty("date_added").GetString());
        Assert.Equal("available", first.GetProperty("status").GetString());

        var sid = (await Json(await tenant.Client.PostAsync(Numbers(tenant), Form(("PhoneNumber", number))), 201)).GetProperty("sid").GetString()!;
        var path = "/v1/PhoneNumbers/" + Uri.EscapeDataString(number);
        await TwilioError(await admin.DeleteAsync(path), 400, 21422);
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync(Number(tenant, sid))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync(path)).StatusCode);
        await TwilioError(await admin.DeleteAsync(path), 404, 20404);
        await TwilioError(await tenant.Client.PostAsync(Numbers(tenant), Form(("PhoneNumber", number))), 400, 21422);
    }

    /// <summary>Finds a number's inventory entry by following the admin list's pages.</summary>
    private static async Task<JsonElement> InventoryEntryAsync(HttpClient admin, string number)
    {
        string? next = "/v1/PhoneNumbers?PageSize=200";
        while (next is not null)
        {
            var page = await Json(await admin.GetAsync(next), 200);
            foreach (var entry in page.GetProperty("phone_numbers").EnumerateArray())
            {
                if (entry.GetProperty("phone_number").GetString() == number)
                {
                    return entry;
                }
            }

            next = page.GetProperty("next_page_uri").GetString();
        }

        throw new Xunit.Sdk.XunitException($"{number} is not in the inventory");
    }
}
