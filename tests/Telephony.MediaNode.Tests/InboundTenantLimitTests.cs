using System.Globalization;
using System.Text.Json;
using Telephony.Core.Messaging;
using Telephony.Core.Nodes;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// A tenant's MaxConcurrentCalls counts inbound calls, across nodes and together with its outbound calls: the platform's
/// in-process node and a media node PROCESS share the tenant's count in storage; sip callers on loopback, the far end answers
/// the outbound call.
/// </summary>
[Collection(PlatformCollection.Name)]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes the client through IAsyncLifetime.DisposeAsync")]
public sealed class InboundTenantLimitTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string ProcessNodeId = "node-inbound-limit";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly HttpClient _limitedApi = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string _limited = string.Empty;

    public async Task InitializeAsync()
    {
        _limitedApi.BaseAddress = platform.Api.BaseAddress;
        _limited = await CreateLimitedTenantAsync(_limitedApi, maxConcurrentCalls: 2);
    }

    /// <summary>A new tenant with <paramref name="maxConcurrentCalls"/> (set by the operator); <paramref name="api"/> authenticates as it.</summary>
    private async Task<string> CreateLimitedTenantAsync(HttpClient api, int maxConcurrentCalls)
    {
        var sid = (await PlatformAdmin.CreateTenantAsync(api, PlatformFixture.AdminKey, callsPerSecond: 50, "inbound limit")).Sid;
        using var limits = new HttpRequestMessage(HttpMethod.Post, $"/v1/Accounts/{sid}/Limits")
        {
            Content = new FormUrlEncodedContent([new("MaxConcurrentCalls", maxConcurrentCalls.ToString(CultureInfo.InvariantCulture))]),
        };
        limits.Headers.Authorization = PlatformFixture.Basic("admin", PlatformFixture.AdminKey);
        await PlatformFixture.JsonAsync(await platform.Api.SendAsync(limits), 200);
        return sid;
    }

    public Task DisposeAsync()
    {
        _limitedApi.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Two_inbound_calls_fill_a_limit_of_two_across_nodes_the_third_gets_486_a_busy_record_and_a_10004_notification_and_outbound_dispatch_waits_for_a_free_slot()
    {
        const string limitedNumber = "+15559990201";
        const string otherNumber = "+15559990202";
        const string outboundTo = "+15559990203";
        platform.App.Serve("/limit/hold", "<Response><Pause length=\"60\"/></Response>");
        await PlatformAdmin.BuyNumberAsync(_limitedApi, PlatformFixture.AdminKey, _limited, limitedNumber, ("VoiceUrl", platform.App.Url("/limit/hold")));
        await platform.BuyNumberAsync(otherNumber, ("VoiceUrl", platform.App.Url("/limit/hold")));
        var settings = LoopbackNodeSettings.For(ProcessNodeId, PlatformFixture.NodeKey, platform.Api.BaseAddress!.ToString().TrimEnd('/'), platform.FarEnd.Port, rtpPortMin: 52000, maxCalls: 4);
        var processSipPort = int.Parse(settings["Telephony:Node:SipListen:0"].Split(':')[^1], CultureInfo.InvariantCulture);
        await using var process = NodeProcess.Start(platform.ConnectionString, settings);
        await using var caller = new Caller(rtpPortMin: 53000);
        await WaitForProcessNodeAsync(process);

        // One call on each node: the tenant runs its two calls, counted together.
        var first = await AnsweredAsync(caller.Dial(platform.NodeSipUdpPort, limitedNumber));
        var second = await AnsweredAsync(caller.Dial(processSipPort, limitedNumber));
        await WaitRunningAsync(2);

        // A third call is refused on either node, with busy, and kept as a record.
        var refusedHere = await caller.Dial(platform.NodeSipUdpPort, limitedNumber).Call.Completion.WaitAsync(Timeout);
        var refusedThere = await caller.Dial(processSipPort, limitedNumber).Call.Completion.WaitAsync(Timeout);
        Assert.Equal(486, refusedHere.SipStatus);
        Assert.Equal(486, refusedThere.SipStatus);
        Assert.False(refusedHere.WasAnswered || refusedThere.WasAnswered);
        var busy = await WaitForBusyCallsAsync(2);
        Assert.All(busy, c =>
        {
            Assert.Equal("inbound", c.GetProperty("direction").GetString());
            Assert.Equal(limitedNumber, c.GetProperty("to").GetString());
            Assert.Equal("+15557770001", c.GetProperty("from").GetString());
            Assert.Equal(0, PlatformFixture.Int(c, "duration"));
        });
        foreach (var refused in busy)
        {
            var notification = await WaitForNotificationAsync(refused.GetProperty("sid").GetString()!);
            Assert.Equal("10004", notification.GetProperty("error_code").GetString());
            Assert.Equal("0", notification.GetProperty("log").GetString());
            Assert.Contains("MaxConcurrentCalls=2", notification.GetProperty("message_text").GetString(), StringComparison.Ordinal);
        }

        var accountNotifications = await PlatformFixture.JsonAsync(await _limitedApi.GetAsync($"/2010-04-01/Accounts/{_limited}/Notifications.json"), 200);
        Assert.Equal(2, accountNotifications.GetProperty("notifications").GetArrayLength());
        Assert.Equal(2, await RunningAsync());

        // Another tenant's inbound calls are not affected.
        var other = await AnsweredAsync(caller.Dial(platform.NodeSipUdpPort, otherNumber));
        other.Call.Hangup();
        await other.Call.Completion.WaitAsync(Timeout);

        // One call ends: a new inbound call is taken.
        first.Call.Hangup();
        await first.Call.Completion.WaitAsync(Timeout);
        await WaitRunningAsync(1);
        var fourth = await AnsweredAsync(caller.Dial(processSipPort, limitedNumber));
        await WaitRunningAsync(2);

        // An outbound call of the tenant is released but waits: nodes receive it, find no slot and put it back.
        var outbound = await CreateOutboundCallAsync(outboundTo);
        var arrived = platform.FarEnd.CallTo(outboundTo);
        await WaitPutBackAsync(times: 2);
        Assert.Equal("queued", (await GetCallAsync(outbound)).GetProperty("status").GetString());

        // An inbound call ends: the waiting outbound call takes the slot, and inbound calls see it running.
        second.Call.Hangup();
        await second.Call.Completion.WaitAsync(Timeout);
        await arrived.WaitAsync(Timeout);
        await WaitForStatusAsync(outbound, "in-progress");
        Assert.Equal(486, (await caller.Dial(platform.NodeSipUdpPort, limitedNumber).Call.Completion.WaitAsync(Timeout)).SipStatus);
        await WaitForBusyCallsAsync(3);

        fourth.Call.Hangup();
        await fourth.Call.Completion.WaitAsync(Timeout);
        await PlatformFixture.JsonAsync(await _limitedApi.PostAsync(
            $"/2010-04-01/Accounts/{_limited}/Calls/{outbound}.json", new FormUrlEncodedContent([new("Status", "completed")])), 200);
        await WaitRunningAsync(0);
    }

    [Fact]
    public async Task A_Dial_leg_takes_a_slot_too_and_a_leg_that_finds_none_is_not_placed_fails_and_leaves_a_10004_notification()
    {
        const string bridgedNumber = "+15559990211";
        const string callee = "+15559990212";
        const string unplacedNumber = "+15559990213";
        const string neverCalled = "+15559990214";
        platform.App.Serve("/limit/dial", $"<Response><Dial action=\"{platform.App.Url("/limit/dial-action")}\"><Number>{callee}</Number></Dial></Response>");
        platform.App.Serve("/limit/dial-unplaced", $"<Response><Dial action=\"{platform.App.Url("/limit/dial-unplaced-action")}\"><Number>{neverCalled}</Number></Dial></Response>");
        platform.App.Serve("/limit/dial-action", "<Response><Hangup/></Response>");
        platform.App.Serve("/limit/dial-unplaced-action", "<Response><Hangup/></Response>");
        await PlatformAdmin.BuyNumberAsync(_limitedApi, PlatformFixture.AdminKey, _limited, bridgedNumber, ("VoiceUrl", platform.App.Url("/limit/dial")));
        await using var caller = new Caller(rtpPortMin: 53000);

        // Limit 2: the inbound parent and its bridged leg fill it; the next inbound call is refused.
        var arrived = platform.FarEnd.CallTo(callee);
        var parent = caller.Dial(platform.NodeSipUdpPort, bridgedNumber);
        await arrived.WaitAsync(Timeout);
        await WaitRunningAsync(2);
        Assert.Equal(486, (await caller.Dial(platform.NodeSipUdpPort, bridgedNumber).Call.Completion.WaitAsync(Timeout)).SipStatus);
        parent.Call.Hangup();
        await parent.Call.Completion.WaitAsync(Timeout);
        await WaitRunningAsync(0);

        // Limit 1: the parent takes it, so its Dial leg is not placed.
        using var singleApi = new HttpClient { BaseAddress = platform.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var single = await CreateLimitedTenantAsync(singleApi, maxConcurrentCalls: 1);
        await PlatformAdmin.BuyNumberAsync(singleApi, PlatformFixture.AdminKey, single, unplacedNumber, ("VoiceUrl", platform.App.Url("/limit/dial-unplaced")));
        var action = WaitForRequest(r => r.Path == "/limit/dial-unplaced-action");
        var unplaced = caller.Dial(platform.NodeSipUdpPort, unplacedNumber);
        var request = await action.WaitAsync(Timeout);
        await unplaced.Call.Completion.WaitAsync(Timeout);

        Assert.Equal("failed", request.Parameters["DialCallStatus"]);
        var leg = request.Parameters["DialCallSid"];
        var legJson = await WaitForLegStatusAsync(singleApi, single, leg, "failed");
        Assert.Equal("outbound-dial", legJson.GetProperty("direction").GetString());
        Assert.Equal(request.Parameters["CallSid"], legJson.GetProperty("parent_call_sid").GetString());
        var notifications = await PlatformFixture.JsonAsync(await singleApi.GetAsync($"/2010-04-01/Accounts/{single}/Calls/{leg}/Notifications.json"), 200);
        var notification = Assert.Single(notifications.GetProperty("notifications").EnumerateArray());
        Assert.Equal("10004", notification.GetProperty("error_code").GetString());
        Assert.Contains("Direction=outbound-dial", notification.GetProperty("message_text").GetString(), StringComparison.Ordinal);
        Assert.False(platform.FarEnd.CallTo(neverCalled).IsCompleted, "the unplaced leg sent no INVITE");
    }

    [Fact]
    public async Task A_killed_nodes_inbound_call_stops_counting_when_its_row_expires_and_the_tenant_takes_calls_again()
    {
        const string number = "+15559990221";
        platform.App.Serve("/limit/hold-killed", "<Response><Pause length=\"60\"/></Response>");
        using var singleApi = new HttpClient { BaseAddress = platform.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var single = await CreateLimitedTenantAsync(singleApi, maxConcurrentCalls: 1);
        await PlatformAdmin.BuyNumberAsync(singleApi, PlatformFixture.AdminKey, single, number, ("VoiceUrl", platform.App.Url("/limit/hold-killed")));
        var settings = LoopbackNodeSettings.For(ProcessNodeId + "-killed", PlatformFixture.NodeKey, platform.Api.BaseAddress!.ToString().TrimEnd('/'), platform.FarEnd.Port, rtpPortMin: 52000, maxCalls: 4);
        var processSipPort = int.Parse(settings["Telephony:Node:SipListen:0"].Split(':')[^1], CultureInfo.InvariantCulture);
        await using var process = NodeProcess.Start(platform.ConnectionString, settings);
        await using var caller = new Caller(rtpPortMin: 53000);
        await WaitForProcessNodeAsync(process, ProcessNodeId + "-killed");

        await AnsweredAsync(caller.Dial(processSipPort, number));
        await WaitRunningAsync(single, 1);
        Assert.Equal(486, (await caller.Dial(platform.NodeSipUdpPort, number).Call.Completion.WaitAsync(Timeout)).SipStatus);

        // SIGKILL: nothing gives the slot back; the node's row stops counting once older than the expiry (45 s).
        var killedAt = DateTimeOffset.UtcNow;
        await process.KillAsync();
        await WaitRunningAsync(single, 0, TimeSpan.FromSeconds(120));
        Assert.True(DateTimeOffset.UtcNow - killedAt > TimeSpan.FromSeconds(30), "the killed node's call counted until its row expired");
        var next = await AnsweredAsync(caller.Dial(platform.NodeSipUdpPort, number));
        next.Call.Hangup();
        await next.Call.Completion.WaitAsync(Timeout);
    }

    /// <summary>The leg's record once it shows <paramref name="status"/> (its writes are chained behind the Dial).</summary>
    private static async Task<JsonElement> WaitForLegStatusAsync(HttpClient api, string account, string leg, string status)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            var json = await PlatformFixture.JsonAsync(await api.GetAsync($"/2010-04-01/Accounts/{account}/Calls/{leg}.json"), 200);
            if (json.GetProperty("status").GetString() == status)
            {
                return json;
            }

            await Task.Delay(100, deadline.Token);
        }
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

    private static async Task<CallerCall> AnsweredAsync(CallerCall call)
    {
        await Task.WhenAny(call.Call.WhenAnswered, call.Call.Completion).WaitAsync(Timeout);
        Assert.True(call.Call.WhenAnswered.IsCompletedSuccessfully, $"the call ended unanswered: {call.Call.End}");
        return call;
    }

    /// <summary>The tenant's busy calls once there are <paramref name="count"/> (the node writes the record after it refused the INVITE).</summary>
    private async Task<List<JsonElement>> WaitForBusyCallsAsync(int count)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            var json = await PlatformFixture.JsonAsync(await _limitedApi.GetAsync($"/2010-04-01/Accounts/{_limited}/Calls.json?Status=busy"), 200);
            List<JsonElement> calls = [.. json.GetProperty("calls").EnumerateArray()];
            Assert.True(calls.Count <= count, $"{calls.Count} busy calls, expected {count}");
            if (calls.Count == count)
            {
                return calls;
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>The call's one notification (written between the record and its move to busy).</summary>
    private async Task<JsonElement> WaitForNotificationAsync(string callSid)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            var json = await PlatformFixture.JsonAsync(await _limitedApi.GetAsync($"/2010-04-01/Accounts/{_limited}/Calls/{callSid}/Notifications.json"), 200);
            if (json.GetProperty("notifications").EnumerateArray().ToList() is [var notification])
            {
                Assert.Equal(callSid, notification.GetProperty("call_sid").GetString());
                return notification;
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    private async Task<string> CreateOutboundCallAsync(string to)
    {
        var json = await PlatformFixture.JsonAsync(await _limitedApi.PostAsync($"/2010-04-01/Accounts/{_limited}/Calls.json", new FormUrlEncodedContent(
            [new("To", to), new("From", "+15557654321"), new("Url", platform.App.Url("/limit/hold"))])), 201);
        return json.GetProperty("sid").GetString()!;
    }

    private async Task<JsonElement> GetCallAsync(string sid) =>
        await PlatformFixture.JsonAsync(await _limitedApi.GetAsync($"/2010-04-01/Accounts/{_limited}/Calls/{sid}.json"), 200);

    private async Task WaitForStatusAsync(string sid, string status)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while ((await GetCallAsync(sid)).GetProperty("status").GetString() != status)
        {
            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>The tenant's running calls across the cluster, as the operator's Limits resource shows them.</summary>
    private Task<int> RunningAsync() => RunningAsync(_limited);

    private async Task<int> RunningAsync(string account)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/Accounts/{account}/Limits");
        request.Headers.Authorization = PlatformFixture.Basic("admin", PlatformFixture.AdminKey);
        var json = await PlatformFixture.JsonAsync(await platform.Api.SendAsync(request), 200);
        return json.GetProperty("running_calls").GetInt32();
    }

    /// <summary>Waits until the count reaches <paramref name="running"/> (a node gives a slot back after the call's final write).</summary>
    private Task WaitRunningAsync(int running) => WaitRunningAsync(_limited, running);

    private async Task WaitRunningAsync(string account, int running, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Timeout);
        int last;
        while ((last = await RunningAsync(account)) != running)
        {
            Assert.False(deadline.IsCancellationRequested, $"running calls stayed {last}, expected {running}");
            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>Waits until the tenant's dispatch message was received <paramref name="times"/> times and made visible again each time.</summary>
    private async Task WaitPutBackAsync(int times)
    {
        var queue = platform.Storage.Queue(QueueNames.DispatchFor(_limited));
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            if (await queue.ExistsAsync(deadline.Token) && (await queue.PeekMessagesAsync(1, deadline.Token)).Value is [var message] && message.DequeueCount >= times)
            {
                return;
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    private async Task WaitForProcessNodeAsync(NodeProcess process, string nodeId = ProcessNodeId)
    {
        var nodes = new NodeStore(platform.Storage);
        using var deadline = new CancellationTokenSource(Timeout);
        while (await nodes.GetAsync(nodeId, deadline.Token) is not { State: NodeState.Ready } node || node.LastHeartbeat < DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5))
        {
            Assert.False(process.HasExited, "the node process exited:\n" + process.Log);
            await Task.Delay(100, deadline.Token);
        }
    }
}
