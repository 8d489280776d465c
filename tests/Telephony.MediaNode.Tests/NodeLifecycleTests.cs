using System.Net;
using Microsoft.AspNetCore.Builder;
using Telephony.Core.Nodes;

namespace Telephony.MediaNode.Tests;

/// <summary>The node's registration, health endpoint, SendDigits and TimeLimit.</summary>
[Collection(PlatformCollection.Name)]
public sealed class NodeLifecycleTests(PlatformFixture platform)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_node_registers_in_the_nodes_table_with_its_capacity_and_keeps_its_heartbeat_fresh()
    {
        var nodes = new NodeStore(platform.Storage);
        var first = await nodes.GetAsync(PlatformFixture.NodeId);
        Assert.NotNull(first);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        NodeRecord? later = first;
        while (later!.LastHeartbeat <= first.LastHeartbeat)
        {
            await Task.Delay(200, deadline.Token);
            later = await nodes.GetAsync(PlatformFixture.NodeId);
        }

        Assert.Equal(NodeState.Ready, later.State);
        Assert.Equal(8, later.Capacity);
        Assert.StartsWith("udp:127.0.0.1:", later.Address, StringComparison.Ordinal);
        Assert.Contains(later, await nodes.ListAsync());
    }

    [Fact]
    public async Task A_drain_request_on_the_control_queue_stops_a_node_taking_work_and_its_heartbeat_says_so()
    {
        // A second node; the collection runs one test at a time, so no dispatch work is waiting for it to take.
        const string id = "node-drain-test";
        var (node, _) = await StartNodeAsync(id, QuietHeartbeat);
        await using var running = node;
        var nodes = new NodeStore(platform.Storage);
        await WaitForStateAsync(nodes, id, NodeState.Ready);

        await new Telephony.Core.Messaging.MessageQueue(platform.Storage).SendAsync(
            Telephony.Core.Messaging.QueueNames.NodeControl(id), new Telephony.Core.Messaging.NodeDrainMessage { RequestedAt = DateTimeOffset.UtcNow });
        var draining = await WaitForStateAsync(nodes, id, NodeState.Draining);
        await node.StopAsync();
        var stopped = await nodes.GetAsync(id);

        Assert.Equal(0, draining.FreeSlots);
        Assert.Equal(NodeState.Stopped, stopped!.State);
    }

    [Fact]
    public async Task PacerRealtimePriority_puts_the_nodes_rtp_send_loops_under_SCHED_FIFO()
    {
        // The test host runs as root here (CAP_SYS_NICE); other nodes in this process keep normal scheduling.
        var before = RealtimePacerThreads();
        var (node, _) = await StartNodeAsync("node-realtime-test", ("Telephony:Node:PacerRealtimePriority", "10"));
        await using var running = node;

        // The loops switch policy as their threads start, so look until they have (or the deadline says they did not).
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var realtime = RealtimePacerThreads();
        while (realtime.Count - before.Count < Environment.ProcessorCount)
        {
            await Task.Delay(50, deadline.Token);
            realtime = RealtimePacerThreads();
        }

        await node.StopAsync();
        var started = realtime.Where(t => !before.ContainsKey(t.Key)).Select(t => t.Value).ToList();
        Assert.Equal(Environment.ProcessorCount, started.Count);
        Assert.All(started, priority => Assert.Equal(10, priority));
    }

    /// <summary>Thread id → real-time priority of this process's pacer threads running under SCHED_FIFO (policy 1).</summary>
    private static Dictionary<string, int> RealtimePacerThreads()
    {
        var threads = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith("rtp-pacer-", StringComparison.Ordinal))
                {
                    continue;
                }

                // stat fields after the ")" that ends the name: field 40 is rt_priority, 41 the policy.
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[41 - 3] == "1")
                {
                    threads[Path.GetFileName(task)] = int.Parse(fields[40 - 3], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // the thread ended while we looked
            }
        }

        return threads;
    }

    [Fact]
    public async Task A_reserve_request_in_its_row_is_honoured_when_the_allocator_nudges_and_undone_the_same_way()
    {
        // The heartbeat interval is a minute, so only the placement message on the control queue makes the node read its row.
        const string id = "node-reserve-test";
        var (node, _) = await StartNodeAsync(id, QuietHeartbeat);
        await using var running = node;
        var nodes = new NodeStore(platform.Storage);
        var ready = await WaitForStateAsync(nodes, id, NodeState.Ready);
        var control = new Telephony.Core.Messaging.MessageQueue(platform.Storage);

        await nodes.SetReserveRequestedAsync(id, reserve: true);
        await control.SendAsync(Telephony.Core.Messaging.QueueNames.NodeControl(id), new Telephony.Core.Messaging.NodePlacementMessage { RequestedAt = DateTimeOffset.UtcNow });
        var reserve = await WaitForAsync(nodes, id, n => n.Reserve);

        await nodes.SetReserveRequestedAsync(id, reserve: false);
        await control.SendAsync(Telephony.Core.Messaging.QueueNames.NodeControl(id), new Telephony.Core.Messaging.NodePlacementMessage { RequestedAt = DateTimeOffset.UtcNow });
        var active = await WaitForAsync(nodes, id, n => !n.Reserve && !n.ReserveRequested);
        await node.StopAsync();

        Assert.False(ready.Reserve);
        Assert.Equal(NodeState.Ready, reserve.State);
        Assert.True(reserve.ReserveRequested);
        Assert.True(reserve.LastHeartbeat > ready.LastHeartbeat);
        Assert.True(active.LastHeartbeat > reserve.LastHeartbeat);
    }

    /// <summary>A heartbeat interval of a minute: only the control queue makes the node act between beats.</summary>
    private static readonly (string Key, string Value) QuietHeartbeat = ("Telephony:Node:HeartbeatInterval", "00:01:00");

    /// <summary>A second node in this process beside the fixture's; the collection runs one test at a time, so no dispatch work waits for it.</summary>
    private Task<(WebApplication Node, int SipPort)> StartNodeAsync(string id, params (string Key, string Value)[] settings) =>
        platform.StartExtraNodeAsync(id, maxCalls: 4, rtpPortMin: 47000, settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    private static async Task<NodeRecord> WaitForAsync(NodeStore nodes, string id, Func<NodeRecord, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await nodes.GetAsync(id) is { } node && condition(node))
            {
                return node;
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    private static async Task<NodeRecord> WaitForStateAsync(NodeStore nodes, string id, NodeState state)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await nodes.GetAsync(id) is { } node && node.State == state)
            {
                return node;
            }

            await Task.Delay(100, deadline.Token);
        }
    }

    [Fact]
    public async Task Healthz_reports_storage_reachable()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(platform.NodeUrl + "/healthz"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("reachable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendDigits_are_sent_to_the_far_end_after_answer()
    {
        const string number = "+15550000020";
        platform.App.Serve("/voice/after-digits", "<Response><Pause length=\"1\"/><Hangup/></Response>");
        var arrived = platform.FarEnd.CallTo(number);
        var sid = await platform.CreateCallAsync(number, "/voice/after-digits", ("SendDigits", "1234#"));
        var far = await arrived.WaitAsync(CallTimeout);
        var received = new System.Collections.Concurrent.ConcurrentQueue<char>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        far.Call.DtmfReceived += (_, digit) =>
        {
            received.Enqueue(digit);
            if (received.Count == 5)
            {
                all.TrySetResult();
            }
        };

        await all.Task.WaitAsync(CallTimeout);
        await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        Assert.Equal("1234#", string.Concat(received));
    }

    [Fact]
    public async Task TimeLimit_ends_an_answered_call()
    {
        const string number = "+15550000021";
        platform.App.Serve("/voice/forever", "<Response><Pause length=\"60\"/></Response>");
        var arrived = platform.FarEnd.CallTo(number);
        var sid = await platform.CreateCallAsync(number, "/voice/forever", ("TimeLimit", "2"));
        var far = await arrived.WaitAsync(CallTimeout);

        var end = await far.Call.Completion.WaitAsync(TimeSpan.FromSeconds(30));
        var call = await platform.WaitForStatusAsync(sid, CallTimeout, "completed");

        Assert.Equal(Telephony.Sip.Calls.CallEndCause.RemoteHangup, end.Cause);
        Assert.InRange(PlatformFixture.Int(call, "duration"), 1, 10);
    }
}
