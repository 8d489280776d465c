using System.Net.Http.Json;
using System.Text;
using Telephony.Core.Webhooks;
using Telephony.Functions.Tests.Api;
using Telephony.Testing;

namespace Telephony.Functions.Tests.Nodes;

/// <summary><c>POST /v1/Accounts/{AC}/Simulations</c> against a real loopback voice app (signed requests, virtual clock).</summary>
[Collection(NodeApiCollection.Name)]
public sealed class SimulationsEndpointTests(NodeApiFixture fixture)
{
    [Fact]
    public async Task A_scripted_caller_drives_the_real_app_through_gather_and_its_action()
    {
        await using var app = new LoopbackWebhookServer();
        var tenant = await fixture.CreateTenantAsync();
        var signaturesValid = true;
        app.Map("/voice", request =>
        {
            signaturesValid &= RequestSignature.Validate(tenant.AuthToken, request.Signature, request.Url, request.Form);
            return WebhookAnswer.Xml("<Response><Gather action=\"/gathered\" numDigits=\"3\"><Say>Enter your code</Say></Gather><Say>No input</Say></Response>");
        });
        app.Map("/gathered", request =>
        {
            signaturesValid &= RequestSignature.Validate(tenant.AuthToken, request.Signature, request.Url, request.Form);
            return WebhookAnswer.Xml("<Response><Say>Thanks</Say><Hangup/></Response>");
        });

        var response = await tenant.Client.PostAsJsonAsync(
            $"/v1/Accounts/{tenant.Sid}/Simulations",
            new { url = app.Url("/voice"), caller = new[] { new { after = 1.0, digits = "123" } } });

        var result = await ApiFixture.Json(response, 200);
        Assert.Equal("completed", result.GetProperty("status").GetString());
        var types = result.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(2, types.Count(t => t == "fetch"));
        Assert.Contains("digits", types);
        Assert.Equal("123", Assert.Single(app.For("/gathered"))["Digits"]);
        Assert.True(signaturesValid, "the app saw an invalid X-Twilio-Signature");
    }

    [Fact]
    public async Task Bad_specs_get_twilio_shaped_errors_and_fetch_nothing()
    {
        var tenant = await fixture.CreateTenantAsync();
        var path = $"/v1/Accounts/{tenant.Sid}/Simulations";

        await ApiFixture.TwilioError(await tenant.Client.PostAsync(path, new StringContent("{not json", Encoding.UTF8, "application/json")), 400, 20001);
        await ApiFixture.TwilioError(await tenant.Client.PostAsJsonAsync(path, new { url = "/relative" }), 400, 21205);
        await ApiFixture.TwilioError(await tenant.Client.PostAsJsonAsync(path, new { url = "http://127.0.0.1:1/x", method = "PUT" }), 400, 21207);
        var tooMany = Enumerable.Range(0, 1001).Select(i => new { after = (double)i, digits = "1" }).ToArray();
        await ApiFixture.TwilioError(await tenant.Client.PostAsJsonAsync(path, new { url = "http://127.0.0.1:1/x", caller = tooMany }), 400, 20001);
    }

    [Fact]
    public async Task Another_tenant_cannot_run_simulations_on_an_account_it_does_not_own()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/voice", _ => WebhookAnswer.Xml("<Response><Hangup/></Response>"));
        var owner = await fixture.CreateTenantAsync();
        var other = await fixture.CreateTenantAsync();

        var response = await other.Client.PostAsJsonAsync($"/v1/Accounts/{owner.Sid}/Simulations", new { url = app.Url("/voice") });

        Assert.False(response.IsSuccessStatusCode);
        Assert.Empty(app.Requests);
    }
}
