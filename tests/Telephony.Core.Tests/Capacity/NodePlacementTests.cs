using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Capacity;
using Telephony.Core.Messaging;
using Telephony.Core.Nodes;
using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.Core.Tests.Capacity;

/// <summary>
/// The allocator's reserve/active requests on a private Azurite (the plan and node tables are global): written to the
/// node's row, kept by the node's own heartbeat writes, and announced on the node's control queue.
/// </summary>
public sealed class NodePlacementTests : IAsyncLifetime
{
    private AzuriteInstance? _azurite;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync() => _azurite = await AzuriteInstance.StartAsync(useShared: false);

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>The instances a provisioner runs; the placement rounds here must never start or remove one.</summary>
    private sealed class RunningInstances(params string[] ids) : INodeProvisioner
    {
        public Task<IReadOnlyList<ProvisionedNode>> ListAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ProvisionedNode>>([.. ids.Select(id => new ProvisionedNode(id, DateTimeOffset.UnixEpoch))]);

        public Task<ProvisionedNode> StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("no node may be started");

        public Task RemoveAsync(string nodeId, CancellationToken cancellationToken) => throw new InvalidOperationException("no node may be removed");
    }

    [Fact]
    public async Task The_least_loaded_surplus_node_becomes_reserve_its_heartbeat_keeps_the_request_and_it_becomes_active_again()
    {
        var storage = new StorageClients(_azurite!.ConnectionString);
        var nodes = new NodeStore(storage);
        var plans = new CapacityPlanStore(storage);
        var queue = new MessageQueue(storage);
        var settings = new CapacitySettings();
        var allocator = new NodeAllocator(plans, nodes, new RunningInstances("n1", "n2", "n3"), queue, settings, _time, NullLogger<NodeAllocator>.Instance);
        await BeatAsync(nodes, "n1", 30);
        await BeatAsync(nodes, "n2", 2);
        await BeatAsync(nodes, "n3", 10);

        await plans.AddAsync(Plan(desired: 3, active: 2));
        var first = await allocator.AllocateAsync();

        Assert.Equal(["n2"], first.Reserve);
        Assert.True((await nodes.GetAsync("n2"))!.ReserveRequested);
        Assert.False((await nodes.GetAsync("n1"))!.ReserveRequested);
        Assert.Equal(NodePlacementMessage.PlacementType, await ControlTypeAsync(storage, "n2"));

        // The node's heartbeat (what it writes itself) leaves the allocator's request in place.
        await BeatAsync(nodes, "n2", 1, reserve: true);
        var beaten = await nodes.GetAsync("n2");
        Assert.True(beaten!.ReserveRequested);
        Assert.True(beaten.Reserve);

        // Nothing changes while the plan stays: no repeated writes or messages.
        _time.Advance(TimeSpan.FromSeconds(15));
        Assert.True((await allocator.AllocateAsync()).IsEmpty);

        await plans.AddAsync(Plan(desired: 3, active: 3));
        var again = await allocator.AllocateAsync();

        Assert.Equal(["n2"], again.Activate);
        Assert.Equal(0, again.Start);
        Assert.False((await nodes.GetAsync("n2"))!.ReserveRequested);
        Assert.Equal(NodePlacementMessage.PlacementType, await ControlTypeAsync(storage, "n2"));
    }

    [Fact]
    public async Task A_reserve_request_for_a_node_whose_row_is_gone_does_not_bring_the_row_back()
    {
        var nodes = new NodeStore(new StorageClients(_azurite!.ConnectionString));

        var e = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => nodes.SetReserveRequestedAsync("removed", true));

        Assert.Equal(404, e.Status);
        Assert.Null(await nodes.GetAsync("removed"));
    }

    private CapacityPlan Plan(int desired, int active) => new()
    {
        ComputedAt = _time.GetUtcNow(),
        DesiredNodes = desired,
        ActiveNodes = active,
        TargetNodes = active,
        LiveNodes = desired,
        ReleaseRate = 0,
        RequiredSlots = 0,
        ActiveCalls = 0,
        BacklogTotal = 0,
        AdmittedTotal = 0,
        ReleasedTotal = 0,
        Waiting = 0,
        Reason = "test",
    };

    private Task BeatAsync(NodeStore nodes, string id, int calls, bool reserve = false) => nodes.UpsertAsync(new NodeRecord
    {
        Id = id,
        Address = "udp:127.0.0.1:5080",
        Capacity = 50,
        ActiveCalls = calls,
        State = NodeState.Ready,
        Reserve = reserve,
        StartedAt = _time.GetUtcNow() - TimeSpan.FromHours(1),
        LastHeartbeat = _time.GetUtcNow(),
    });

    /// <summary>Takes the next message off the node's control queue and returns its type.</summary>
    private static async Task<string?> ControlTypeAsync(StorageClients storage, string nodeId)
    {
        var queue = storage.Queue(QueueNames.NodeControl(nodeId));
        var messages = (await queue.ReceiveMessagesAsync(32)).Value;
        var message = Assert.Single(messages);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        using var json = JsonDocument.Parse(message.Body.ToString());
        return json.RootElement.GetProperty("type").GetString();
    }
}
