using System.Globalization;
using System.Text.Json;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests.Presence;

/// <summary>
/// sipp registers with the running media node over UDP and TCP with an AccessToken minted by the twilio npm SDK
/// from a key created through the API; the registration shows at <c>/v1/Accounts/{AC}/Clients</c>.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ClientRegistrationTests(PlatformFixture platform)
{
    private static readonly TimeSpan SippTimeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task A_client_is_challenged_registers_with_its_token_shows_as_online_and_unregisters(string transport)
    {
        var identity = "alice-" + transport;
        var tokens = await ClientTokens.MintAsync(platform, identity);

        var localPort = transport == "tcp" ? FreePorts.Tcp() : FreePorts.Udp();
        var registered = await RegisterAsync(transport, localPort, identity, tokens["voice"], expires: 300);
        Assert.True(registered.ExitCode == 0, registered.ToString());

        var client = await ClientAsync(identity, 200);
        Assert.Equal("online", client.GetProperty("status").GetString());
        var registration = Assert.Single(client.GetProperty("registrations").EnumerateArray());
        Assert.Equal(PlatformFixture.NodeId, registration.GetProperty("node_id").GetString());
        Assert.Equal(transport, registration.GetProperty("transport").GetString());
        Assert.StartsWith($"sip:{identity}@127.0.0.1:{localPort.ToString(CultureInfo.InvariantCulture)}", registration.GetProperty("contact_uri").GetString(), StringComparison.Ordinal);

        var removed = await RegisterAsync(transport, localPort, identity, tokens["voice"], expires: 0);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        await ClientAsync(identity, 404);
    }

    [Fact]
    public async Task A_token_without_the_incoming_grant_is_refused_with_insufficient_scope_and_nothing_is_registered()
    {
        var tokens = await ClientTokens.MintAsync(platform, "carol");
        var result = await SippRunner.RunAsync(
            [.. Target("udp"), "-sf", Scenario("bearer_register_refused"), "-key", "identity", "carol", "-key", "token", tokens["outgoingOnly"], .. SippRunner.Common(FreePorts.Udp())],
            SippTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        await ClientAsync("carol", 404);
    }

    [Fact]
    public async Task Sipp_registered_with_its_token_receives_the_INVITE_of_Dial_Client_and_the_call_is_bridged()
    {
        const string caller = "+15550001401";
        var identity = "sipp-dave";
        var tokens = await ClientTokens.MintAsync(platform, identity);
        var localPort = FreePorts.Udp();
        var registered = await RegisterAsync("udp", localPort, identity, tokens["voice"], expires: 300);
        Assert.True(registered.ExitCode == 0, registered.ToString());

        // The registering sipp has exited; a second one answers on the registered contact (sipp cannot take a new
        // dialog in a client scenario): its built-in UAS rings, answers with SDP and waits for the BYE.
        var answering = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = SippRunner.RunAsync(["-sn", "uas", .. SippRunner.Common(localPort)], SippTimeout, onStarted: _ => answering.TrySetResult());
        await answering.Task;
        platform.App.Serve("/sipp-client/dial", $"""
            <Response><Dial timeLimit="2" action="{platform.App.Url("/sipp-client/done")}"><Client>{identity}</Client></Dial></Response>
            """);
        platform.App.Serve("/sipp-client/done", "<Response><Hangup/></Response>");

        var sid = await platform.CreateCallAsync(caller, "/sipp-client/dial");
        var action = await platform.App.NextRequest("/sipp-client/done", SippTimeout);
        var uas = await answered.WaitAsync(SippTimeout);

        Assert.True(uas.ExitCode == 0, uas.ToString());
        Assert.Equal("completed", action.Parameters["DialCallStatus"]);
        var child = await platform.WaitForStatusAsync(action.Parameters["DialCallSid"], SippTimeout, "completed");
        Assert.Equal($"client:{identity}", child.GetProperty("to").GetString());
        Assert.Equal(sid, child.GetProperty("parent_call_sid").GetString());
    }

    private Task<SippResult> RegisterAsync(string transport, int localPort, string identity, string token, int expires) =>
        SippRunner.RunAsync(
            [.. Target(transport), "-sf", Scenario("bearer_register"), "-key", "identity", identity, "-key", "token", token,
             "-key", "expires", expires.ToString(CultureInfo.InvariantCulture), .. SippRunner.Common(localPort)],
            SippTimeout);

    private string[] Target(string transport) => transport == "tcp"
        ? [$"127.0.0.1:{platform.NodeSipTcpPort.ToString(CultureInfo.InvariantCulture)}", "-t", "t1"]
        : [$"127.0.0.1:{platform.NodeSipUdpPort.ToString(CultureInfo.InvariantCulture)}"];

    private async Task<JsonElement> ClientAsync(string identity, int status)
    {
        var response = await platform.Api.GetAsync($"/v1/Accounts/{platform.AccountSid}/Clients/{identity}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    internal static string Scenario(string name) =>
        RepoPaths.Combine("tests", "Telephony.MediaNode.Tests", "Presence", "Scenarios", name + ".xml");
}
