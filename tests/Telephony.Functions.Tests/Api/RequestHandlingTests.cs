using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Telephony.Functions.Tests.Hosting;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class RequestHandlingTests(ApiFixture api)
{
    [Fact]
    public async Task Missing_or_garbled_credentials_get_401_with_a_challenge()
    {
        var tenant = await api.CreateTenantAsync();
        using var anonymous = api.App.CreateClient();

        var response = await anonymous.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json");
        await TwilioError(response, 401, 20003);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var garbled = new HttpRequestMessage(HttpMethod.Get, $"/2010-04-01/Accounts/{tenant.Sid}/Calls.json");
        garbled.Headers.TryAddWithoutValidation("Authorization", "Basic !!!not-base64!!!");
        await TwilioError(await anonymous.SendAsync(garbled), 401, 20003);
    }

    [Fact]
    public async Task Unknown_paths_and_wrong_methods_get_Twilio_errors()
    {
        var tenant = await api.CreateTenantAsync();

        await TwilioError(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Nothing.json"), 404, 20404);
        await TwilioError(await tenant.Client.GetAsync("/2010-04-01/whatever"), 404, 20404);
        await TwilioError(await tenant.Client.PutAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json", Form(("To", "+1"))), 405, 20405);
        await TwilioError(await tenant.Client.DeleteAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json"), 405, 20405);
    }

    [Fact]
    public async Task Malformed_and_oversized_bodies_are_refused_cleanly()
    {
        var tenant = await api.CreateTenantAsync();
        var calls = $"/2010-04-01/Accounts/{tenant.Sid}/Calls.json";

        await TwilioError(await tenant.Client.PostAsync(calls, new StringContent("{\"To\":\"+1\"}", Encoding.UTF8, "application/json")), 400, 20001);
        var huge = new string('x', 200 * 1024);
        await TwilioError(await tenant.Client.PostAsync(calls, Form(("To", "+15550001111"), ("From", "+15550002222"), ("Twiml", huge))), 413, 20413);
        await TwilioError(await CreateCallAsync(tenant, "+15550001111", ("Twiml", new string('x', 5000))), 400, 20001);
        var rejected = await TwilioError(await CreateCallAsync(tenant, "+15550001111", ("MachineDetection", "Enable"), ("AsyncAmd", "true")), 400, 20001);
        Assert.Contains("AsyncAmd, MachineDetection", rejected.GetProperty("message").GetString(), StringComparison.Ordinal);
        await TwilioError(await tenant.Client.PostAsync(calls, Form(("From", "+15550002222"), ("Url", "https://a.example/"))), 400, 21201);
        await TwilioError(await tenant.Client.PostAsync(calls, Form(("To", "+15550002222"), ("Url", "https://a.example/"))), 400, 21213);
        await TwilioError(await CreateCallAsync(tenant, "12345"), 400, 21211);
        await TwilioError(await tenant.Client.PostAsync(calls, Form(("To", "+15550002222"), ("From", "+15550002223"), ("Url", "javascript:alert(1)"))), 400, 21205);
        await TwilioError(await CreateCallAsync(tenant, "+15550001111", ("Url", "https://b.example/")), 400, 20001);
        await TwilioError(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls/CA..%2F..%2Fetc.json"), 404, 20404);

        // The process is still serving after all of that.
        await Json(await CreateCallAsync(tenant), 201);
    }

    [Fact]
    public async Task An_oversized_chunked_body_is_refused_by_real_Kestrel()
    {
        await using var app = new FunctionsAppFactory(Settings(api.ConnectionString), kestrel: true);
        var tenant = await api.CreateTenantAsync();
        using var client = WithBasic(app.CreateClient(), tenant.Sid, tenant.AuthToken);
        var body = "To=%2B15550001111&From=%2B15550002222&Twiml=" + new string('x', 200 * 1024);
        using var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(body)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/2010-04-01/Accounts/{tenant.Sid}/Calls.json") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        await TwilioError(await client.SendAsync(request), 413, 20413);
        await Json(await client.PostAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json", Form(("To", "+15550001111"), ("From", "+15550002222"), ("Twiml", "<Response/>"))), 201);
    }

    [Fact]
    public async Task Each_account_is_rate_limited_with_Retry_After()
    {
        var settings = Settings(api.ConnectionString);
        settings["Telephony:Api:RequestsPerSecond"] = "1";
        settings["Telephony:Api:Burst"] = "3";
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new FunctionsAppFactory(settings, s => s.AddSingleton<TimeProvider>(time));
        var tenant = await api.CreateTenantAsync();
        var other = await api.CreateTenantAsync();
        using var client = WithBasic(app.CreateClient(), tenant.Sid, tenant.AuthToken);
        using var otherClient = WithBasic(app.CreateClient(), other.Sid, other.AuthToken);
        var list = $"/2010-04-01/Accounts/{tenant.Sid}/Calls.json";

        for (var i = 0; i < 3; i++)
        {
            await Json(await client.GetAsync(list), 200);
        }

        var limited = await client.GetAsync(list);
        await TwilioError(limited, 429, 20429);
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
        await Json(await otherClient.GetAsync($"/2010-04-01/Accounts/{other.Sid}/Calls.json"), 200);

        time.Advance(TimeSpan.FromSeconds(1));
        await Json(await client.GetAsync(list), 200);
    }

    [Fact]
    public async Task The_OpenAPI_document_and_reference_page_describe_the_API()
    {
        using var client = api.App.CreateClient();

        var document = await Json(await client.GetAsync("/openapi/v1.json"), 200);
        var paths = document.GetProperty("paths");
        foreach (var path in new[]
        {
            "/2010-04-01/Accounts.json", "/2010-04-01/Accounts/{AccountSid}.json",
            "/2010-04-01/Accounts/{AccountSid}/Calls.json", "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json",
            "/2010-04-01/Accounts/{AccountSid}/Keys.json", "/2010-04-01/Accounts/{AccountSid}/Keys/{Sid}.json",
        })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var create = paths.GetProperty("/2010-04-01/Accounts/{AccountSid}/Calls.json").GetProperty("post");
        var form = create.GetProperty("requestBody").GetProperty("content").GetProperty("application/x-www-form-urlencoded").GetProperty("schema");
        Assert.Equal(["From", "To"], form.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order());
        Assert.True(form.GetProperty("properties").TryGetProperty("StatusCallbackEvent", out _));
        var list = paths.GetProperty("/2010-04-01/Accounts/{AccountSid}/Calls.json").GetProperty("get");
        Assert.Contains(list.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "StartTime<");
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("basic", out _));

        var page = await client.GetAsync("/scalar/v1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("openapi", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
