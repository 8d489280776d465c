using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Core.Calls;
using Telephony.Core.Nodes;
using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// A media node PROCESS killed with SIGKILL mid-call: the functions program (local host mode, its allocate-nodes
/// timer reaping nodes past a short heartbeat lease) finalizes the call at the node's last heartbeat and the
/// completed callback reaches the tenant; a node restarted with the same id leaves the call completed.
/// Its own Azurite, functions program, far end and app: nothing else may take its dispatch work.
/// </summary>
[Collection(SoloCollection.Name)]
public sealed class DeadNodeTests : IAsyncLifetime
{
    private const string AdminKey = "dead-node-tests-admin";
    private const string NodeKey = "dead-node-tests-node-key";
    private const string NodeId = "node-killed-mid-call";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private FarEnd FarEnd { get; } = new();
    private TenantAppServer App { get; } = new();
    private AzuriteInstance? _azurite;
    private FunctionsProcess? _functions;
    private HttpClient Api { get; set; } = null!;
    private string _account = string.Empty;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteInstance.StartAsync(useShared: false);
        _functions = await FunctionsProcess.StartAsync(
            _azurite.ConnectionString, AdminKey, NodeKey, environment: new Dictionary<string, string> { ["Telephony__Capacity__HeartbeatExpiry"] = Lease.ToString("c", CultureInfo.InvariantCulture) });
        Api = new HttpClient { BaseAddress = new Uri(_functions.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        _account = (await PlatformFixture.CreateTenantAsync(Api, AdminKey)).Sid;
        App.Serve("/voice/hold", "<Response><Pause length=\"600\"/></Response>");
        App.Serve("/status", "<Response/>");
    }

    [Fact]
    public async Task A_call_on_a_killed_node_completes_at_its_last_heartbeat_with_its_callback_and_a_restart_does_not_revive_it()
    {
        const string number = "+15550000301";
        var storage = new StorageClients(_azurite!.ConnectionString);
        var completedCallback = new TaskCompletionSource<AppRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        App.RequestReceived += r =>
        {
            if (r.Path == "/status" && r.Parameters.GetValueOrDefault("CallStatus") == "completed")
            {
                completedCallback.TrySetResult(r);
            }
        };
        await using var node = StartNode();
        var first = await WaitForNodeAsync(storage, startedAfter: DateTimeOffset.MinValue, node);
        var arrived = FarEnd.CallTo(number);

        var sid = await CreateCallAsync(number);
        await arrived.WaitAsync(Timeout);
        var answered = await WaitForStatusAsync(sid, "in-progress");
        Assert.Equal(NodeId, (await new CallStore(storage, TimeProvider.System).GetAsync(_account, sid))!.NodeId);
        Assert.Single(await new NodeCallIndex(storage, TimeProvider.System, NullLogger<NodeCallIndex>.Instance).ListAsync(NodeId));

        var killedAt = DateTimeOffset.UtcNow;
        await node.KillAsync();
        var call = await WaitForStatusAsync(sid, "completed", "failed");

        Assert.Equal("completed", call.GetProperty("status").GetString());
        var start = Time(call, "start_time");
        var end = Time(call, "end_time");
        Assert.Equal(Time(answered, "start_time"), start);

        // The last heartbeat came at most one interval (1 s) before the kill; Twilio's times have whole seconds.
        Assert.InRange(end, killedAt - TimeSpan.FromSeconds(4), killedAt + TimeSpan.FromSeconds(1));
        var duration = PlatformFixture.Int(call, "duration");
        Assert.InRange(duration, (int)(end - start).TotalSeconds - 1, (int)(end - start).TotalSeconds + 1);
        var callback = await WithLogAsync(completedCallback.Task);
        Assert.Equal(sid, callback.Parameters["CallSid"]);
        Assert.Equal(duration.ToString(CultureInfo.InvariantCulture), callback.Parameters["CallDuration"]);
        Assert.Empty(await new NodeCallIndex(storage, TimeProvider.System, NullLogger<NodeCallIndex>.Instance).ListAsync(NodeId));
        var events = await new CallEventStore(storage).ListAsync(_account, sid);

        // The same node id comes back: its first heartbeats and its own clean-up change nothing about the call.
        await using var restarted = StartNode();
        var second = await WaitForNodeAsync(storage, startedAfter: first.StartedAt, restarted);
        await WaitForHeartbeatAfterAsync(storage, second.LastHeartbeat);

        var after = await GetCallAsync(sid);
        Assert.Equal("completed", after.GetProperty("status").GetString());
        Assert.Equal(end, Time(after, "end_time"));
        Assert.Equal(events.Count, (await new CallEventStore(storage).ListAsync(_account, sid)).Count);
        Assert.Single(App.Requests, r => r.Path == "/status" && r.Parameters.GetValueOrDefault("CallSid") == sid && r.Parameters["CallStatus"] == "completed");
    }

    /// <summary>Waits up to the timeout; a timeout fails with the functions program's log (callback delivery happens there).</summary>
    private async Task<T> WithLogAsync<T>(Task<T> task)
    {
        try
        {
            return await task.WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("timed out; functions log:\n" + _functions!.Log);
        }
    }

    private NodeProcess StartNode() => NodeProcess.Start(
        _azurite!.ConnectionString, LoopbackNodeSettings.For(NodeId, NodeKey, _functions!.BaseUrl, FarEnd.Port, rtpPortMin: 46000, maxCalls: 4));

    /// <summary>Waits until a node process started after <paramref name="startedAfter"/> has heartbeated.</summary>
    private static async Task<NodeRecord> WaitForNodeAsync(StorageClients storage, DateTimeOffset startedAfter, NodeProcess process)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var nodes = new NodeStore(storage);
        while (true)
        {
            Assert.False(process.HasExited, "the node exited:\n" + process.Log);
            if (await nodes.GetAsync(NodeId, deadline.Token) is { } node && node.StartedAt > startedAfter && node.State == NodeState.Ready)
            {
                return node;
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    /// <summary>A later heartbeat means the process finished its first round, restart clean-up included.</summary>
    private static async Task WaitForHeartbeatAfterAsync(StorageClients storage, DateTimeOffset previous)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var nodes = new NodeStore(storage);
        while ((await nodes.GetAsync(NodeId, deadline.Token))!.LastHeartbeat <= previous)
        {
            await Task.Delay(100, deadline.Token);
        }
    }

    private async Task<string> CreateCallAsync(string to)
    {
        var form = new FormUrlEncodedContent(
        [
            new("To", to), new("From", "+15557654321"), new("Url", App.Url("/voice/hold")),
            new("StatusCallback", App.Url("/status")), new("StatusCallbackEvent", "answered"), new("StatusCallbackEvent", "completed"),
        ]);
        var json = await PlatformFixture.JsonAsync(await Api.PostAsync($"/2010-04-01/Accounts/{_account}/Calls.json", form), 201);
        return json.GetProperty("sid").GetString()!;
    }

    private async Task<JsonElement> GetCallAsync(string sid) =>
        await PlatformFixture.JsonAsync(await Api.GetAsync($"/2010-04-01/Accounts/{_account}/Calls/{sid}.json"), 200);

    private async Task<JsonElement> WaitForStatusAsync(string sid, params string[] statuses)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            var call = await GetCallAsync(sid);
            if (statuses.Contains(call.GetProperty("status").GetString()))
            {
                return call;
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    private static DateTimeOffset Time(JsonElement call, string name) =>
        DateTimeOffset.Parse(call.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    public async Task DisposeAsync()
    {
        if (_functions is not null)
        {
            await _functions.DisposeAsync();
        }

        Api?.Dispose();
        await FarEnd.DisposeAsync();
        await App.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
