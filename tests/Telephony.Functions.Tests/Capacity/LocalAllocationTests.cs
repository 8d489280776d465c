using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Core.Capacity;
using Telephony.Core.Messaging;
using Telephony.Core.Nodes;
using Telephony.Core.Storage;
using Telephony.Functions.Provisioning;
using Telephony.Functions.Tests.Hosting;

namespace Telephony.Functions.Tests.Capacity;

/// <summary>The allocator with the local provisioner: real child processes, a private Azurite.</summary>
public sealed class LocalAllocationTests : IAsyncLifetime
{
    private readonly PrivateAzurite _azurite = new();
    private readonly string _marks = Directory.CreateTempSubdirectory("nodes").FullName;

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _azurite.DisposeAsync();
        Directory.Delete(_marks, recursive: true);
    }

    private LocalProcessProvisioner Provisioner() => new(
        new LocalProvisionerOptions { Command = "/bin/sh", Arguments = ["-c", $"echo $$ {{sipPort}} {{httpPort}} > {_marks}/{{id}}; exec sleep 600"] },
        _azurite.ConnectionString,
        TimeProvider.System,
        NullLogger<LocalProcessProvisioner>.Instance);

    [Fact]
    public async Task Scales_out_with_processes_drains_before_removing_and_removes_only_idle_drained_nodes()
    {
        var storage = new StorageClients(_azurite.ConnectionString);
        var plans = new CapacityPlanStore(storage);
        var nodes = new NodeStore(storage);
        await using var provisioner = Provisioner();
        var settings = new CapacitySettings { MinNodeLifetime = TimeSpan.Zero };
        var allocator = new NodeAllocator(plans, nodes, provisioner, new MessageQueue(storage), settings, TimeProvider.System, NullLogger<NodeAllocator>.Instance);
        var now = DateTimeOffset.UtcNow;

        await plans.AddAsync(Plan(now, 2));
        var first = await allocator.AllocateAsync();
        Assert.Equal(2, first.Start);
        var running = await provisioner.ListAsync(default);
        Assert.Equal(2, running.Count);
        foreach (var node in running)
        {
            var mark = Path.Combine(_marks, node.Id);
            await WaitUntilAsync(() => File.Exists(mark) && File.ReadAllText(mark).Trim().Length > 0);
            var fields = File.ReadAllText(mark).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            Assert.Equal(3, fields.Length);
            Assert.All(fields[1..], p => Assert.InRange(p, 1, 65535));
            Assert.NotEqual(fields[1], fields[2]);
        }

        // Both report ready; nothing more is started while they run.
        foreach (var node in running)
        {
            await nodes.UpsertAsync(Heartbeat(node.Id, NodeState.Ready, active: node == running[0] ? 3 : 0));
        }

        Assert.True((await allocator.AllocateAsync()).IsEmpty);

        // The plan shrinks: the idle node first becomes reserve (no new calls), then, reserve and empty, is asked to drain — never killed.
        await plans.AddAsync(Plan(DateTimeOffset.UtcNow, 1));
        var shrink = await allocator.AllocateAsync();
        Assert.Equal([running[1].Id], shrink.Reserve);
        Assert.Empty(shrink.Drain);
        Assert.Empty(shrink.Remove);
        var control = storage.Queue(QueueNames.NodeControl(running[1].Id));
        var placement = Assert.Single((await control.ReceiveMessagesAsync(10)).Value);
        Assert.Contains("\"type\":\"placement\"", placement.Body.ToString(), StringComparison.Ordinal);
        await control.DeleteMessageAsync(placement.MessageId, placement.PopReceipt);
        await nodes.UpsertAsync(Heartbeat(running[1].Id, NodeState.Ready, active: 0));
        var drained = Assert.Single((await allocator.AllocateAsync()).Drain);
        Assert.Equal(running[1].Id, drained);
        var message = Assert.Single((await control.ReceiveMessagesAsync(10)).Value);
        Assert.Contains("\"type\":\"drain\"", message.Body.ToString(), StringComparison.Ordinal);

        // Still serving calls while draining: kept.
        await nodes.UpsertAsync(Heartbeat(drained, NodeState.Draining, active: 2));
        Assert.Empty((await allocator.AllocateAsync()).Remove);
        Assert.Equal(2, (await provisioner.ListAsync(default)).Count);

        // Drained and idle: removed, its process ends, its row is gone.
        await nodes.UpsertAsync(Heartbeat(drained, NodeState.Draining, active: 0));
        var removal = Assert.Single((await allocator.AllocateAsync()).Remove);
        Assert.Equal(new NodeRemoval(drained, RemovalReason.Drained), removal);
        Assert.Equal([running[0].Id], (await provisioner.ListAsync(default)).Select(n => n.Id));
        Assert.Null(await nodes.GetAsync(drained));
        Assert.Empty(await plans.DrainsAsync());
    }

    [Fact]
    public async Task A_node_process_that_dies_is_replaced()
    {
        var storage = new StorageClients(_azurite.ConnectionString);
        var plans = new CapacityPlanStore(storage);
        await using var provisioner = Provisioner();
        var allocator = new NodeAllocator(plans, new NodeStore(storage), provisioner, new MessageQueue(storage), new CapacitySettings(), TimeProvider.System, NullLogger<NodeAllocator>.Instance);
        await plans.AddAsync(Plan(DateTimeOffset.UtcNow, 1));
        await allocator.AllocateAsync();
        var original = Assert.Single(await provisioner.ListAsync(default));
        var mark = Path.Combine(_marks, original.Id);
        await WaitUntilAsync(() => File.Exists(mark) && File.ReadAllText(mark).Trim().Length > 0);

        // Kill the child from outside, as a crash would.
        using (var child = Process.GetProcessById(int.Parse(File.ReadAllText(mark).Split(' ')[0])))
        {
            child.Kill();
            await child.WaitForExitAsync();
        }

        await WaitUntilAsync(() => provisioner.ListAsync(default).Result.Count == 0);

        var replaced = await allocator.AllocateAsync();
        Assert.Equal(1, replaced.Start);
        Assert.NotEqual(original.Id, Assert.Single(await provisioner.ListAsync(default)).Id);
    }

    private static CapacityPlan Plan(DateTimeOffset at, int desired) => new()
    {
        ComputedAt = at,
        DesiredNodes = desired,
        TargetNodes = desired,
        LiveNodes = 0,
        ReleaseRate = 0,
        RequiredSlots = 0,
        ActiveCalls = 0,
        BacklogTotal = 0,
        AdmittedTotal = 0,
        ReleasedTotal = 0,
        Waiting = 0,
        Reason = "test",
    };

    private static NodeRecord Heartbeat(string id, NodeState state, int active) => new()
    {
        Id = id,
        Address = "udp:127.0.0.1:5080",
        Capacity = 50,
        ActiveCalls = active,
        State = state,
        StartedAt = DateTimeOffset.UtcNow.AddMinutes(-1),
        LastHeartbeat = DateTimeOffset.UtcNow,
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
