using System.Net;
using System.Net.Http.Json;
using Telephony.Core.Calls;
using Telephony.Core.Webhooks;
using Telephony.Functions.Tests.Api;
using Telephony.Functions.Tests.Hosting;
using Telephony.Testing;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Model;
using Telephony.Twiml.Remote;

namespace Telephony.Functions.Tests.Nodes;

[Collection(NodeApiCollection.Name)]
public sealed class InstructionsEndpointTests(NodeApiFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_node_gets_the_program_the_tenant_signed_for_with_the_time_it_took_and_nothing_is_stored()
    {
        await using var app = new LoopbackWebhookServer();
        var tenant = await fixture.CreateTenantAsync();
        var signatureValid = false;
        app.Map("/voice", request =>
        {
            signatureValid = RequestSignature.Validate(tenant.AuthToken, request.Signature, request.Url, request.Form);
            return WebhookAnswer.Xml("<Response><Say>Hello from the tenant</Say><Pause length=\"1\"/></Response>");
        });
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, app.Url("/voice"));
        using var http = fixture.Node(key: null);
        var source = new RemoteInstructionSource(http, http.BaseAddress!, NodeApiFixture.NodeKey);

        var fetched = await source.FetchTimedAsync(Request(tenant.Sid, callSid, app.Url("/voice")), CancellationToken.None);

        var result = fetched.Result;
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Collection(result.Program!.Verbs, v => Assert.Equal("Hello from the tenant", Assert.IsType<Say>(v).Text), v => Assert.IsType<Pause>(v));
        Assert.Equal(app.Url("/voice"), result.DocumentUrl);
        var received = Assert.Single(app.For("/voice"));
        Assert.True(signatureValid, "the tenant saw an invalid X-Twilio-Signature");
        Assert.Equal(callSid, received["CallSid"]);
        Assert.Equal("in-progress", received["CallStatus"]);

        // What the node records on the call: the endpoint's own timing of the fetch, not the round trip.
        Assert.InRange(fetched.Elapsed, TimeSpan.Zero, Timeout);
        Assert.Matches(@"^initial POST \S+/voice -> twiml \(2 verbs\) in \d+ ms$", fetched.Describe());

        // The node writes the call's record and its events; the endpoint writes nothing.
        var events = await new CallEventStore(fixture.Storage).ListAsync(tenant.Sid, callSid);
        Assert.Equal([CallEventTypes.Created], events.Select(e => e.Type));
    }

    [Fact]
    public async Task A_failing_url_falls_back_and_the_node_sees_the_notification()
    {
        await using var app = new LoopbackWebhookServer();
        var tenant = await fixture.CreateTenantAsync();
        app.Map("/broken", _ => WebhookAnswer.Text(500, "text/plain", "boom"));
        app.Map("/fallback", _ => WebhookAnswer.Xml("<Response><Hangup/></Response>"));
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, app.Url("/broken"));
        using var http = fixture.Node(key: null);
        var source = new RemoteInstructionSource(http, http.BaseAddress!, NodeApiFixture.NodeKey);

        var fetched = await source.FetchTimedAsync(
            Request(tenant.Sid, callSid, app.Url("/broken")) with { FallbackUrl = app.Url("/fallback") }, CancellationToken.None);

        var result = fetched.Result;
        Assert.IsType<Hangup>(Assert.Single(result.Program!.Verbs));
        Assert.Contains(result.Notifications, n => n.Code == TwimlErrorCodes.HttpRetrievalFailure);
        Assert.Equal("11200", Assert.Single(app.For("/fallback"))["ErrorCode"]);
        Assert.Contains("/fallback -> twiml (1 verbs)", fetched.Describe(), StringComparison.Ordinal);
        Assert.Contains("1 notification(s), first 11200", fetched.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_error_comes_back_as_a_result_with_its_code()
    {
        await using var app = new LoopbackWebhookServer();
        var tenant = await fixture.CreateTenantAsync();
        app.Map("/html", _ => WebhookAnswer.Text(200, "application/json", "{}"));
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, app.Url("/html"));
        using var http = fixture.Node(key: null);
        var source = new RemoteInstructionSource(http, http.BaseAddress!, NodeApiFixture.NodeKey);

        var fetched = await source.FetchTimedAsync(Request(tenant.Sid, callSid, app.Url("/html")), CancellationToken.None);

        Assert.Equal(TwimlErrorCodes.InvalidContentType, fetched.Result.Error!.Code);
        Assert.Contains("error 12300", fetched.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_or_missing_node_key_is_refused_with_401_and_the_tenant_is_never_called()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/voice", _ => WebhookAnswer.Xml("<Response/>"));
        var tenant = await fixture.CreateTenantAsync();
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, app.Url("/voice"));
        var body = RemoteInstructionSource.ToNodeRequest(Request(tenant.Sid, callSid, app.Url("/voice")));

        using var wrong = fixture.Node("not-the-key");
        await ApiFixture.TwilioError(await wrong.PostAsJsonAsync("/node/v1/instructions", body, TwimlJson.Options), 401, 20003);
        using var none = fixture.Node(key: null);
        await ApiFixture.TwilioError(await none.PostAsJsonAsync("/node/v1/instructions", body, TwimlJson.Options), 401, 20003);
        using var tenantCredentials = ApiFixture.WithBasic(fixture.App.CreateClient(), tenant.Sid, tenant.AuthToken);
        await ApiFixture.TwilioError(await tenantCredentials.PostAsJsonAsync("/node/v1/instructions", body, TwimlJson.Options), 401, 20003);

        Assert.Empty(app.Requests);
        var source = new RemoteInstructionSource(none, none.BaseAddress!, "not-the-key");
        var result = await source.FetchAsync(Request(tenant.Sid, callSid, app.Url("/voice")), CancellationToken.None);
        Assert.Equal(TwimlErrorCodes.HttpRetrievalFailure, result.Error!.Code);
    }

    [Fact]
    public async Task Bad_bodies_and_unknown_calls_get_twilio_errors()
    {
        var tenant = await fixture.CreateTenantAsync();
        using var node = fixture.Node();

        await ApiFixture.TwilioError(await node.PostAsync("/node/v1/instructions", new StringContent("{not json", null, "application/json")), 400, 20001);
        await ApiFixture.TwilioError(await node.PostAsync("/node/v1/instructions", new StringContent("{\"url\":\"https://a.example\"}", null, "application/json")), 400, 20001);
        var unknownAccount = RemoteInstructionSource.ToNodeRequest(Request("AC" + new string('0', 32), "CA" + new string('0', 32), "https://app.example/voice"));
        await ApiFixture.TwilioError(await node.PostAsJsonAsync("/node/v1/instructions", unknownAccount, TwimlJson.Options), 404, 20404);
        var notACall = RemoteInstructionSource.ToNodeRequest(Request(tenant.Sid, "not-a-call", "https://app.example/voice"));
        await ApiFixture.TwilioError(await node.PostAsJsonAsync("/node/v1/instructions", notACall, TwimlJson.Options), 400, 20001);
        var badReason = unknownAccount with { Reason = "whim" };
        await ApiFixture.TwilioError(await node.PostAsJsonAsync("/node/v1/instructions", badReason, TwimlJson.Options), 400, 20001);
        var objectParameters = "{\"accountSid\":\"AC" + new string('1', 32) + "\",\"callSid\":\"CA" + new string('1', 32)
            + "\",\"url\":\"https://app.example/voice\",\"parameters\":{\"Digits\":\"12\"}}";
        await ApiFixture.TwilioError(await node.PostAsync("/node/v1/instructions", new StringContent(objectParameters, null, "application/json")), 404, 20404);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413()
    {
        using var node = fixture.Node();
        var huge = "{\"accountSid\":\"AC1\",\"callSid\":\"CA1\",\"url\":\"" + new string('a', 2 * 1024 * 1024) + "\"}";

        var response = await node.PostAsync("/node/v1/instructions", new StringContent(huge, null, "application/json"));

        await ApiFixture.TwilioError(response, 413, 20413);
    }

    [Fact]
    public async Task Without_a_configured_node_key_the_node_endpoints_answer_503()
    {
        var settings = NodeApiFixture.Settings(fixture.ConnectionString);
        settings.Remove("Telephony:NodeKey");
        await using var app = new FunctionsAppFactory(settings);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", NodeApiFixture.NodeKey);

        var response = await client.PostAsync("/node/v1/instructions", new StringContent("{}", null, "application/json"));

        var error = await ApiFixture.TwilioError(response, 503, 20003);
        Assert.Contains("Telephony:NodeKey", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/node/v1/media/" + new string('a', 64))).StatusCode);
    }

    private static FetchRequest Request(string accountSid, string callSid, string url) => new()
    {
        Url = url,
        Parameters =
        [
            new("AccountSid", accountSid), new("ApiVersion", "2010-04-01"), new("CallSid", callSid), new("CallStatus", "in-progress"),
            new("Called", "+15550001111"), new("Caller", "+15559990000"), new("Direction", "outbound-api"),
            new("From", "+15559990000"), new("To", "+15550001111"),
        ],
    };
}
