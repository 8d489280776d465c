using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Core.Nodes;
using Telephony.Core.Presence;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Transport;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests.Presence;

/// <summary>
/// &lt;Dial&gt;&lt;Client&gt; end to end: real SIP phones register at real nodes with AccessTokens the twilio SDK minted,
/// an API or inbound call runs a Dial to the identity, and the node rings every registration of it (directly, or
/// through the node holding it), bridges the first to answer and cancels the rest.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class DialClientTests(PlatformFixture platform)
{
    private const double CallerHz = 600;
    private const double ClientHz = 1400;
    private const int ToneFrames = 25;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Dial_Client_rings_the_registered_client_passes_its_parameters_and_bridges_audio_both_ways()
    {
        const string caller = "+15550003001";
        await using var client = new ClientDevice("alice_bridge");
        Assert.Equal(200, await client.RegisterAsync(platform.NodeSipUdpPort, (await ClientTokens.MintAsync(platform, client.Identity))["voice"]));
        platform.FarEnd.SendTone(caller, CallerHz);
        client.Phone.SendTone(client.Identity, ClientHz);
        platform.App.Serve("/dialclient/bridge", $"""
            <Response><Dial action="{platform.App.Url("/dialclient/bridge-done")}">
              <Client><Identity>{client.Identity}</Identity><Parameter name="ticket" value="T-42"/><Parameter name="bad name" value="dropped"/></Client>
            </Dial></Response>
            """);
        platform.App.Serve("/dialclient/bridge-done", "<Response><Hangup/></Response>");
        var callerArrived = platform.FarEnd.CallTo(caller);
        var clientRang = client.Phone.CallTo(client.Identity);

        var sid = await platform.CreateCallAsync(caller, "/dialclient/bridge");
        var callerLeg = await callerArrived.WaitAsync(CallTimeout);
        var clientLeg = await clientRang.WaitAsync(CallTimeout);
        await Task.WhenAll(
            callerLeg.Recorder.HeardTone(ClientHz, ToneFrames),
            clientLeg.Recorder.HeardTone(CallerHz, ToneFrames)).WaitAsync(CallTimeout);

        var invite = clientLeg.Call.Invite!;
        Assert.Equal("T-42", invite.Headers.Get("X-ticket"));
        Assert.Null(invite.Headers.Get("X-bad name"));
        Assert.Equal("+15557654321", SipUri.Unescape(invite.From?.Uri.User));

        clientLeg.Call.Hangup();
        var action = await platform.App.NextRequest("/dialclient/bridge-done", CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");
        Assert.Equal("completed", action.Parameters["DialCallStatus"]);
        var child = Assert.Single(await ChildrenAsync(sid));
        Assert.Equal("client:" + client.Identity, child.GetProperty("to").GetString());
        Assert.Equal(action.Parameters["DialCallSid"], child.GetProperty("sid").GetString());
        await platform.WaitForStatusAsync(action.Parameters["DialCallSid"], CallTimeout, "completed");
    }

    [Fact]
    public async Task A_client_registered_over_TCP_is_called_over_its_own_connection_not_at_its_unreachable_Contact()
    {
        const string caller = "+15550003005";
        await using var client = new ClientDevice("gina_behind_nat", tcp: true);
        var unreachable = $"sip:{client.Identity}@127.0.0.1:{FreePorts.Tcp().ToString(CultureInfo.InvariantCulture)};transport=tcp";
        var token = (await ClientTokens.MintAsync(platform, client.Identity))["voice"];
        Assert.Equal(200, await client.RegisterAsync(SipTransportKind.Tcp, platform.NodeSipTcpPort, token, unreachable));
        client.Phone.SendTone(client.Identity, ClientHz);
        platform.App.Serve("/dialclient/tcp", $"<Response><Dial><Client>{client.Identity}</Client></Dial></Response>");
        var callerArrived = platform.FarEnd.CallTo(caller);
        var clientRang = client.Phone.CallTo(client.Identity);

        var sid = await platform.CreateCallAsync(caller, "/dialclient/tcp");
        var callerLeg = await callerArrived.WaitAsync(CallTimeout);
        var clientLeg = await clientRang.WaitAsync(CallTimeout);
        await callerLeg.Recorder.HeardTone(ClientHz, ToneFrames).WaitAsync(CallTimeout);

        Assert.Equal(SipTransportKind.Tcp, clientLeg.Call.Remote.Transport);
        Assert.Equal(unreachable, clientLeg.Call.Invite!.Uri.ToString());
        callerLeg.Call.Hangup();
        await clientLeg.Call.Completion.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");
    }

    [Fact]
    public async Task Two_registrations_of_one_identity_ring_together_the_first_answer_wins_and_the_other_is_canceled()
    {
        const string caller = "+15550003011";
        const string identity = "bob_two_phones";
        await using var desk = new ClientDevice(identity);
        await using var mobile = new ClientDevice(identity);
        var token = (await ClientTokens.MintAsync(platform, identity))["voice"];
        Assert.Equal(200, await desk.RegisterAsync(platform.NodeSipUdpPort, token));
        Assert.Equal(200, await mobile.RegisterAsync(platform.NodeSipUdpPort, token));
        desk.Phone.Set(identity, FarEndBehavior.RingForever);
        platform.App.Serve("/dialclient/parallel", $"""
            <Response><Dial timeout="30" action="{platform.App.Url("/dialclient/parallel-done")}"><Client>{identity}</Client></Dial></Response>
            """);
        platform.App.Serve("/dialclient/parallel-done", "<Response><Hangup/></Response>");
        var deskRang = desk.Phone.CallTo(identity);
        var mobileRang = mobile.Phone.CallTo(identity);

        var sid = await platform.CreateCallAsync(caller, "/dialclient/parallel");
        var deskLeg = await deskRang.WaitAsync(CallTimeout);
        var mobileLeg = await mobileRang.WaitAsync(CallTimeout);
        var deskEnd = await deskLeg.Call.Completion.WaitAsync(CallTimeout);
        Assert.Equal(CallEndCause.Canceled, deskEnd.Cause);
        Assert.Equal(CallState.Answered, mobileLeg.Call.State);

        mobileLeg.Call.Hangup();
        var action = await platform.App.NextRequest("/dialclient/parallel-done", CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");
        Assert.Equal("completed", action.Parameters["DialCallStatus"]);
        var children = await ChildrenAsync(sid);
        Assert.Equal(2, children.Count);
        Assert.All(children, c => Assert.Equal("client:" + identity, c.GetProperty("to").GetString()));
        var loser = children.Single(c => c.GetProperty("sid").GetString() != action.Parameters["DialCallSid"]);
        await platform.WaitForStatusAsync(loser.GetProperty("sid").GetString()!, CallTimeout, "canceled");
    }

    [Fact]
    public async Task An_identity_registered_only_by_another_tenant_is_never_rung_and_the_Dial_ends_no_answer()
    {
        const string caller = "+15550003021";
        const string identity = "dora_same_name";
        var (otherSid, otherToken) = await platform.CreateOtherTenantAsync("dial client other tenant");
        using var otherApi = new HttpClient { BaseAddress = platform.Api.BaseAddress };
        otherApi.DefaultRequestHeaders.Authorization = PlatformFixture.Basic(otherSid, otherToken);
        await using var othersPhone = new ClientDevice(identity);
        Assert.Equal(200, await othersPhone.RegisterAsync(platform.NodeSipUdpPort, (await ClientTokens.MintAsync(otherApi, otherSid, identity))["voice"]));
        platform.App.Serve("/dialclient/nobody", $"""
            <Response><Dial timeout="5" action="{platform.App.Url("/dialclient/nobody-done")}"><Client>{identity}</Client></Dial></Response>
            """);
        platform.App.Serve("/dialclient/nobody-done", "<Response><Hangup/></Response>");

        var sid = await platform.CreateCallAsync(caller, "/dialclient/nobody");
        var action = await platform.App.NextRequest("/dialclient/nobody-done", CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        Assert.Equal("no-answer", action.Parameters["DialCallStatus"]);
        Assert.Empty(othersPhone.Invites);
    }

    [Fact]
    public async Task An_API_call_to_a_client_rings_its_registration_and_runs_the_program_and_one_to_nobody_ends_no_answer()
    {
        await using var client = new ClientDevice("frank_api");
        Assert.Equal(200, await client.RegisterAsync(platform.NodeSipUdpPort, (await ClientTokens.MintAsync(platform, client.Identity))["voice"]));
        platform.App.Serve("/dialclient/api", $"<Response><Play>{platform.App.Url("/tone.wav")}</Play><Hangup/></Response>");
        var clientRang = client.Phone.CallTo(client.Identity);

        var sid = await platform.CreateCallAsync("client:" + client.Identity, "/dialclient/api");
        var clientLeg = await clientRang.WaitAsync(CallTimeout);
        await clientLeg.Recorder.HeardTone(TenantAppServer.ToneHz, ToneFrames).WaitAsync(CallTimeout);
        await clientLeg.Call.Completion.WaitAsync(CallTimeout);
        var record = await platform.WaitForStatusAsync(sid, CallTimeout, "completed");
        Assert.Equal("client:" + client.Identity, record.GetProperty("to").GetString());

        var nobody = await platform.CreateCallAsync("client:nobody_registered", "/dialclient/api");
        await platform.WaitForStatusAsync(nobody, CallTimeout, "no-answer");
    }

    [Fact]
    public async Task A_client_registered_on_another_node_is_rung_through_that_node_and_a_forged_relay_is_refused()
    {
        const string number = "+15550003031";
        await using var client = new ClientDevice("erin_elsewhere");
        await using var caller = new Caller(rtpPortMin: 49000);
        var (node, sipPort) = await platform.StartExtraNodeAsync("node-client-relay", maxCalls: 4, rtpPortMin: 50000, new Dictionary<string, string?>
        {
            ["Telephony:SecretsKey"] = PlatformFixture.SecretsKey,
        });
        try
        {
            await WaitUntilAsync(async () => await node.Services.GetRequiredService<NodeStore>().GetAsync("node-client-relay") is not null);
            Assert.Equal(200, await client.RegisterAsync(sipPort, (await ClientTokens.MintAsync(platform, client.Identity))["voice"]));

            // A phone that is not a node cannot make the node ring its client, with a made-up relay header or none.
            var forged = await ForgedRelayAsync(caller, sipPort, $"v1;{platform.AccountSid};{client.Identity};0123456789abcdef01234567;{DateTimeOffset.UtcNow.ToUnixTimeSeconds()};00;AAAA");
            Assert.Equal(403, forged.SipStatus);
            Assert.Empty(client.Invites);

            client.Phone.SendTone(client.Identity, ClientHz);
            platform.App.Serve("/dialclient/relay", $"""
                <Response><Dial action="{platform.App.Url("/dialclient/relay-done")}"><Client><Identity>{client.Identity}</Identity><Parameter name="queue" value="sales"/></Client></Dial></Response>
                """);
            platform.App.Serve("/dialclient/relay-done", "<Response><Hangup/></Response>");
            await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url("/dialclient/relay")));
            var clientRang = client.Phone.CallTo(client.Identity);

            var inbound = caller.Dial(platform.NodeSipUdpPort, number);
            var clientLeg = await clientRang.WaitAsync(CallTimeout);
            await inbound.Recorder.HeardTone(ClientHz, ToneFrames).WaitAsync(CallTimeout);

            Assert.Equal("sales", clientLeg.Call.Invite!.Headers.Get("X-queue"));
            Assert.Null(clientLeg.Call.Invite.Headers.Get("Telephony-Relay"));
            clientLeg.Call.Hangup();
            var action = await platform.App.NextRequest("/dialclient/relay-done", CallTimeout);
            Assert.Equal("completed", action.Parameters["DialCallStatus"]);
            await inbound.Call.Completion.WaitAsync(CallTimeout);

            // The Dial's timeout passes while the remote client rings: the CANCEL reaches it through its node.
            await using var ringer = new ClientDevice("erin_never_answers");
            ringer.Phone.Set(ringer.Identity, FarEndBehavior.RingForever);
            Assert.Equal(200, await ringer.RegisterAsync(sipPort, (await ClientTokens.MintAsync(platform, ringer.Identity))["voice"]));
            platform.App.Serve("/dialclient/relay-ring", $"""
                <Response><Dial timeout="3" action="{platform.App.Url("/dialclient/relay-ring-done")}"><Client>{ringer.Identity}</Client></Dial></Response>
                """);
            platform.App.Serve("/dialclient/relay-ring-done", "<Response><Hangup/></Response>");
            await platform.BuyNumberAsync("+15550003032", ("VoiceUrl", platform.App.Url("/dialclient/relay-ring")));
            var ringerRang = ringer.Phone.CallTo(ringer.Identity);
            var unanswered = caller.Dial(platform.NodeSipUdpPort, "+15550003032");
            var ringerEnd = await (await ringerRang.WaitAsync(CallTimeout)).Call.Completion.WaitAsync(CallTimeout);
            Assert.Equal(CallEndCause.Canceled, ringerEnd.Cause);
            Assert.Equal("no-answer", (await platform.App.NextRequest("/dialclient/relay-ring-done", CallTimeout)).Parameters["DialCallStatus"]);
            await unanswered.Call.Completion.WaitAsync(CallTimeout);

            // A stopping node takes its clients' presence with it: nobody would be rung through it any more.
            await node.StopAsync();
            Assert.Empty(await node.Services.GetRequiredService<PresenceRegistry>().LookupAsync(platform.AccountSid, client.Identity));
        }
        finally
        {
            await node.StopAsync();
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_on_a_separate_node_process_is_rung_through_it_and_its_rows_are_gone_when_that_node_restarts_after_a_crash()
    {
        const string number = "+15550003041";
        const string nodeId = "node-client-process";
        await using var client = new ClientDevice("hana_other_process");
        await using var caller = new Caller(rtpPortMin: 49000);
        var presence = new PresenceRegistry(platform.Storage, TimeProvider.System);
        var sipPort = FreePorts.Udp();
        var first = StartNodeProcess(nodeId, sipPort);
        try
        {
            await WaitUntilAsync(async () => await new NodeStore(platform.Storage).GetAsync(nodeId) is { State: NodeState.Ready });
            Assert.Equal(200, await client.RegisterAsync(sipPort, (await ClientTokens.MintAsync(platform, client.Identity))["voice"]));
            client.Phone.SendTone(client.Identity, ClientHz);
            platform.App.Serve("/dialclient/process", $"<Response><Dial><Client>{client.Identity}</Client></Dial></Response>");
            await platform.BuyNumberAsync(number, ("VoiceUrl", platform.App.Url("/dialclient/process")));
            var clientRang = client.Phone.CallTo(client.Identity);

            var inbound = caller.Dial(platform.NodeSipUdpPort, number);
            var clientLeg = await clientRang.WaitAsync(CallTimeout);
            await inbound.Recorder.HeardTone(ClientHz, ToneFrames).WaitAsync(CallTimeout);
            inbound.Call.Hangup();
            await clientLeg.Call.Completion.WaitAsync(CallTimeout);

            // A crash runs no clean-up: the row stays until the node starts again and drops its earlier run's rows.
            await first.KillAsync();
            Assert.Single(await presence.LookupAsync(platform.AccountSid, client.Identity));
            await using var second = StartNodeProcess(nodeId, FreePorts.Udp());
            await WaitUntilAsync(async () => (await presence.LookupAsync(platform.AccountSid, client.Identity)).Count == 0);
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    private NodeProcess StartNodeProcess(string id, int sipPort) => NodeProcess.Start(platform.ConnectionString, new Dictionary<string, string>
    {
        ["urls"] = $"http://127.0.0.1:{FreePorts.Tcp().ToString(CultureInfo.InvariantCulture)}",
        ["Telephony:Node:Id"] = id,
        ["Telephony:NodeKey"] = PlatformFixture.NodeKey,
        ["Telephony:SecretsKey"] = PlatformFixture.SecretsKey,
        ["Telephony:Node:FunctionsUrl"] = platform.Api.BaseAddress!.ToString().TrimEnd('/'),
        ["Telephony:Node:SipListen:0"] = $"udp:127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)}",
        ["Telephony:Node:RtpPortMin"] = "51000",
        ["Telephony:Node:RtpPortMax"] = "51998",
        ["Telephony:Node:MaxConcurrentCalls"] = "4",
        ["Telephony:Node:AllowInternalAddresses"] = "true",
        ["Telephony:Node:HeartbeatInterval"] = "00:00:01",
    });

    private static Task<CallEnd> ForgedRelayAsync(Caller caller, int nodeSipPort, string header) =>
        caller.Agent.Call(new CallRequest
        {
            Target = SipUri.Parse($"sip:erin_elsewhere@127.0.0.1:{nodeSipPort}"),
            ExtraHeaders = [new("Telephony-Relay", header)],
            Timeout = CallTimeout,
        }).Completion.WaitAsync(CallTimeout);

    private async Task<List<JsonElement>> ChildrenAsync(string parentSid)
    {
        var response = await platform.Api.GetAsync($"/2010-04-01/Accounts/{platform.AccountSid}/Calls.json?ParentCallSid={parentSid}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("calls").EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>Polls storage until <paramref name="condition"/> holds (the node's first heartbeat writes its row).</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(CallTimeout);
        while (!await condition())
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
