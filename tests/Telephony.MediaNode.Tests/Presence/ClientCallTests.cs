using System.Text.Json;
using Telephony.Core.Webhooks;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;

namespace Telephony.MediaNode.Tests.Presence;

/// <summary>
/// Calls placed by a client app: a real SIP UA INVITEs the node with an AccessToken (twilio npm SDK, key made
/// through the API) whose outgoing grant names an Application created through the API; the Application's
/// VoiceUrl runs with From=client:identity, the grant's params and the INVITE's X- headers.
/// </summary>
[Collection(PlatformCollection.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes the caller through IAsyncLifetime.DisposeAsync")]
public sealed class ClientCallTests(PlatformFixture platform) : IAsyncLifetime
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private readonly Caller _client = new(rtpPortMin: 48000);

    [Fact]
    public async Task A_client_call_runs_the_grant_application_with_client_from_params_and_sip_headers()
    {
        platform.App.Serve("/client/app", "<Response><Say>Hello from the application.</Say><Hangup/></Response>");
        var applicationSid = await CreateApplicationAsync(platform.App.Url("/client/app"));
        var tokens = await ClientTokens.MintAsync(platform, "alice", applicationSid, new Dictionary<string, string> { ["mode"] = "support" });
        var fetched = WaitForRequest(r => r.Path == "/client/app");

        var call = Invite("+15550001111", tokens["voice"], ("X-Customer-Id", "42"));
        var end = await call.Completion.WaitAsync(CallTimeout);
        Assert.True(end.WasAnswered, $"ended {end.SipStatus} {end.Cause}");

        var fetch = await fetched.WaitAsync(CallTimeout);
        Assert.Equal("client:alice", fetch.Parameters["From"]);
        Assert.Equal("client:alice", fetch.Parameters["Caller"]);
        Assert.Equal("inbound", fetch.Parameters["Direction"]);
        Assert.Equal("+15550001111", fetch.Parameters["To"]);
        Assert.Equal(applicationSid, fetch.Parameters["ApplicationSid"]);
        Assert.Equal("support", fetch.Parameters["mode"]);
        Assert.Equal("42", fetch.Parameters["SipHeader_X-Customer-Id"]);
        Assert.True(RequestSignature.Validate(platform.AuthToken, fetch.Signature, platform.App.Url("/client/app"), fetch.Parameters),
            "the VoiceUrl request carries a valid X-Twilio-Signature");

        var record = await platform.WaitForStatusAsync(fetch.Parameters["CallSid"], CallTimeout, "completed");
        Assert.Equal(("client:alice", "+15550001111", "inbound"),
            (record.GetProperty("from").GetString(), record.GetProperty("to").GetString(), record.GetProperty("direction").GetString()));
    }

    [Fact]
    public async Task A_token_without_an_outgoing_grant_gets_403_and_a_refused_token_401_and_no_call_is_made()
    {
        var tokens = await ClientTokens.MintAsync(platform, "bob");
        var before = platform.App.Requests.Count;

        var noGrant = await Invite("+15550002222", tokens["voice"]).Completion.WaitAsync(CallTimeout);
        Assert.Equal((403, false), (noGrant.SipStatus, noGrant.WasAnswered));

        var tampered = await Invite("+15550002222", tokens["voice"][..^4] + "AAAA").Completion.WaitAsync(CallTimeout);
        Assert.Equal((401, false), (tampered.SipStatus, tampered.WasAnswered));
        Assert.Equal(before, platform.App.Requests.Count);
    }

    private SipCall Invite(string to, string token, params (string Name, string Value)[] headers) => _client.Agent.Call(new CallRequest
    {
        Target = SipUri.Parse($"sip:{to}@127.0.0.1:{platform.NodeSipUdpPort}"),
        ExtraHeaders = [new(HeaderNames.Authorization, "Bearer " + token), .. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))],
        Timeout = CallTimeout,
    });

    private async Task<string> CreateApplicationAsync(string voiceUrl)
    {
        var response = await platform.Api.PostAsync(
            $"/2010-04-01/Accounts/{platform.AccountSid}/Applications.json",
            new FormUrlEncodedContent([new("FriendlyName", "client app"), new("VoiceUrl", voiceUrl)]));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("sid").GetString()!;
    }

    private Task<AppRequest> WaitForRequest(Func<AppRequest, bool> match)
    {
        var seen = new TaskCompletionSource<AppRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        platform.App.RequestReceived += r =>
        {
            if (match(r))
            {
                seen.TrySetResult(r);
            }
        };
        return seen.Task;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _client.DisposeAsync();
}
