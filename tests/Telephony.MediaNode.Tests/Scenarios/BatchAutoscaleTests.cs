using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Telephony.MediaNode.Tests.Scenarios;

/// <summary>
/// Issue #7 end to end, every part real and on loopback: tenant A posts a 200-call batch, the allocator (local
/// process provisioner) grows the cluster from one media-node process with 20 call slots, sipp answers every call
/// on the trunk, and tenant B's single call, posted while A's batch is being dispatched, gets through at its own
/// pace instead of behind A's backlog.
/// <para>
/// Sizing for a 2-core machine shared with other work: A paces at 20 calls/s, so its 200 calls are released over
/// 10 s; each runs <c>&lt;Pause length="2"/&gt;</c>, so the load needs about 20 × 3 s = 60 slots (three nodes of 20)
/// while one node alone would make calls wait ~20 s for a slot. The planner is told calls last ~3 s and looks 10 s
/// ahead; MaxNodes is 3 so at most four .NET processes (functions + three nodes) share the two cores. Timers run every
/// 1–2 s (a copied function app), nodes heartbeat every second and look for work every 200 ms.
/// </para>
/// </summary>
[Collection(SoloCollection.Name)]
public sealed class BatchAutoscaleTests(ITestOutputHelper output)
{
    private const int BatchSize = 200;
    private const int NodeSlots = 20;
    private const int TenantACallsPerSecond = 20;

    /// <summary>
    /// What B's call may take on top of its own spacing (1 s at Twilio's default 1 call/s): admit-calls noticing the
    /// request (its queue poll backs off to 2 s when idle), a node polling B's queue (every 0.2 s here) and the claim
    /// writes — on a machine at load 25–45, where this took 0.4–4.7 s (admission ≈ 1 s of it). A's backlog is not
    /// part of it: A's last calls wait 17 s and more.
    /// </summary>
    private static readonly TimeSpan DispatchBound = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan TenantBSpacing = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_200_call_batch_scales_out_from_one_node_every_call_completes_and_another_tenants_call_is_not_held_behind_it()
    {
        await using var platform = await AutoscalePlatform.StartAsync(
            new Dictionary<string, string>
            {
                ["MaxConcurrentCalls"] = NodeSlots.ToString(CultureInfo.InvariantCulture),
                ["DispatchPollInterval"] = "00:00:00.200",
                ["DispatchQueueRefresh"] = "00:00:00.500",
                ["HeartbeatInterval"] = "00:00:01",
                ["Trunks:0:CallsPerSecond"] = "100",
            },
            new Dictionary<string, string>
            {
                ["DefaultNodeCapacity"] = NodeSlots.ToString(CultureInfo.InvariantCulture),
                ["MeanCallDuration"] = "00:00:03",
                ["ForecastHorizon"] = "00:00:10",
                ["MinNodes"] = "1",
                ["MaxNodes"] = "3",
                ["StartTimeout"] = "00:01:30",
                ["MinNodeLifetime"] = "00:10:00",
                ["ScaleInDelay"] = "00:10:00",
                ["FastScaleInDelay"] = "00:10:00",
            },
            sippCalls: BatchSize + 1,
            sippTimeout: TimeSpan.FromMinutes(5));
        try
        {
            await RunAsync(platform);
        }
        catch
        {
            var log = platform.FunctionsLog;
            output.WriteLine(log[Math.Max(0, log.Length - 20_000)..]);
            throw;
        }
    }

    private async Task RunAsync(AutoscalePlatform platform)
    {
        var (tenantA, apiA) = await platform.CreateTenantAsync("batch tenant", TenantACallsPerSecond);
        var (tenantB, apiB) = await platform.CreateTenantAsync("light tenant", callsPerSecond: null);
        using var disposeA = apiA;
        using var disposeB = apiB;

        // One node at start: the allocator brings up MinNodes = 1 before any traffic.
        var first = (await WaitForAsync(() => platform.NodesAsync(), n => n is [{ State: "ready" }], TimeSpan.FromSeconds(120), "the first node to report ready"))[0].Id;
        await using var watcher = new NodeWatcher(platform);

        var batch = await PostBatchAsync(apiA, tenantA);
        Assert.Equal(BatchSize, batch.GetProperty("call_count").GetInt32());
        var batchSid = batch.GetProperty("sid").GetString()!;

        // B calls once A's batch is being dispatched (some of its calls have left queued, most have not). It is B's
        // first call: its dispatch queue came with its account, so the nodes already keep reserve slots for it.
        await WaitForAsync(() => FetchBatchAsync(apiA, tenantA, batchSid), b => Count(b, "queued") < BatchSize, TimeSpan.FromSeconds(60), "A's batch to start");
        var callB = await CreateCallAsync(apiB, tenantB);
        var backlogWhenBCalled = Count(await FetchBatchAsync(apiA, tenantA, batchSid), "queued");
        var doneB = await WaitForAsync(
            () => GetCallAsync(apiB, tenantB, callB), c => c.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(60), "B's call to complete");

        var progress = await WaitForAsync(
            () => FetchBatchAsync(apiA, tenantA, batchSid), b => b.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(150), "every call of A's batch to end");

        // Nothing lost, nothing stuck: the batch's counts add up to its calls, all of them completed.
        var counts = progress.GetProperty("counts");
        Assert.True(Count(progress, "completed") == BatchSize, $"batch counts: {counts}");
        Assert.Equal(BatchSize, counts.EnumerateObject().Sum(c => c.Value.GetInt32()));
        var callsA = await ListBatchCallsAsync(apiA, tenantA, batchSid);
        Assert.Equal(BatchSize, callsA.Select(c => c.GetProperty("sid").GetString()).Distinct().Count());
        Assert.All(callsA, c => Assert.Equal("completed", c.GetProperty("status").GetString()));

        // The cluster grew: the allocator started more node processes while the batch ran, and they reported ready.
        var started = platform.StartedNodes();
        output.WriteLine($"nodes started: {started.Count}; most ready at once: {watcher.MostReadyAtOnce}; seen: {string.Join(", ", watcher.Seen)} (first {first})");
        Assert.True(started.Count >= 2, $"the allocator started {started.Count} node process(es)");
        Assert.True(watcher.MostReadyAtOnce >= 2, $"at most {watcher.MostReadyAtOnce} node(s) were ready at once");

        // sipp answered every call (A's 200 and B's one) to the platform's BYE.
        var sipp = await platform.Sipp.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(sipp.ExitCode == 0, sipp.ToString());

        // B was dispatched within its own spacing plus the stated bound, while A still had calls waiting that went out after it.
        var queueB = QueueTime(doneB);
        var dispatchedB = Dispatched(doneB);
        var afterB = callsA.Count(c => Dispatched(c) > dispatchedB + TimeSpan.FromSeconds(1));
        var slowestA = callsA.Max(QueueTime);
        output.WriteLine($"B queue_time {queueB.TotalMilliseconds} ms; A backlog when B called {backlogWhenBCalled}; A calls dispatched > 1 s after B {afterB}; A's longest queue_time {slowestA.TotalMilliseconds} ms");
        foreach (var line in platform.LogLinesWith(callB))
        {
            output.WriteLine(line);
        }

        Assert.True(queueB <= TenantBSpacing + DispatchBound, $"B's queue_time {queueB.TotalMilliseconds} ms > {(TenantBSpacing + DispatchBound).TotalMilliseconds} ms");
        Assert.True(afterB > 0, $"no call of A was dispatched after B's (B at {dispatchedB:O}, A's longest queue_time {slowestA.TotalMilliseconds} ms)");
    }

    private static async Task<JsonElement> PostBatchAsync(HttpClient api, string accountSid)
    {
        var rows = new JsonArray();
        for (var i = 0; i < BatchSize; i++)
        {
            rows.Add(new JsonObject
            {
                ["To"] = "+1555100" + i.ToString("D4", CultureInfo.InvariantCulture),
                ["From"] = "+15557654321",
                ["Twiml"] = "<Response><Pause length=\"2\"/></Response>",
            });
        }

        using var content = new StringContent(rows.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await api.PostAsync($"/v1/Accounts/{accountSid}/CallBatches", content);
        return await PlatformFixture.JsonAsync(response, 201);
    }

    private static async Task<string> CreateCallAsync(HttpClient api, string accountSid)
    {
        using var response = await api.PostAsync(
            $"/2010-04-01/Accounts/{accountSid}/Calls.json",
            new FormUrlEncodedContent([new("To", "+15552000001"), new("From", "+15557654321"), new("Twiml", "<Response><Pause length=\"1\"/></Response>")]));
        return (await PlatformFixture.JsonAsync(response, 201)).GetProperty("sid").GetString()!;
    }

    private static async Task<JsonElement> FetchBatchAsync(HttpClient api, string accountSid, string batchSid)
    {
        using var response = await api.GetAsync($"/v1/Accounts/{accountSid}/CallBatches/{batchSid}");
        return await PlatformFixture.JsonAsync(response, 200);
    }

    private static async Task<JsonElement> GetCallAsync(HttpClient api, string accountSid, string callSid)
    {
        using var response = await api.GetAsync($"/2010-04-01/Accounts/{accountSid}/Calls/{callSid}.json");
        return await PlatformFixture.JsonAsync(response, 200);
    }

    private static async Task<List<JsonElement>> ListBatchCallsAsync(HttpClient api, string accountSid, string batchSid)
    {
        using var response = await api.GetAsync($"/2010-04-01/Accounts/{accountSid}/Calls.json?BatchSid={batchSid}&PageSize=1000");
        var page = await PlatformFixture.JsonAsync(response, 200);
        Assert.Null(page.GetProperty("next_page_uri").GetString());
        return [.. page.GetProperty("calls").EnumerateArray()];
    }

    private static int Count(JsonElement batch, string status) => batch.GetProperty("counts").GetProperty(status).GetInt32();

    private static TimeSpan QueueTime(JsonElement call) =>
        TimeSpan.FromMilliseconds(long.Parse(call.GetProperty("queue_time").GetString()!, CultureInfo.InvariantCulture));

    /// <summary>When a node took the call: date_created (whole seconds, RFC 2822) plus queue_time.</summary>
    private static DateTimeOffset Dispatched(JsonElement call) =>
        DateTimeOffset.Parse(call.GetProperty("date_created").GetString()!, CultureInfo.InvariantCulture) + QueueTime(call);

    /// <summary>Reads every 200 ms until <paramref name="done"/> holds for what was read, or <paramref name="timeout"/> passes.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            try
            {
                await Task.Delay(200, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"waited {timeout} for {what}; last read: {value}");
            }
        }
    }
}
