using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Admission;
using Telephony.Core.Dispatch;
using Telephony.Core.Ids;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.Core.Tests.Dispatch;

/// <summary>
/// Inbound calls' slots (<see cref="TenantCallSlots"/>) and dispatched calls share one cluster-wide count per tenant, on a
/// private Azurite (the puller lists every tenant's dispatch queue, so no other test may share them).
/// </summary>
public sealed class TenantCallSlotsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private AzuriteInstance? _azurite;
    private StorageClients _storage = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteInstance.StartAsync(useShared: false);
        _storage = new StorageClients(_azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    private TenantConcurrency Node(string id) => new(_storage, id, _time, TimeSpan.FromSeconds(45), NullLogger<TenantConcurrency>.Instance);

    private TenantCallSlots Inbound(TenantConcurrency node) => new(node, new AdmissionStore(_storage), _time);

    private DispatchPuller Puller(TenantConcurrency node) => new(
        _storage, new DispatchQueues(_storage, _time, TimeSpan.Zero), new AdmissionStore(_storage), node, _time, NullLogger<DispatchPuller>.Instance);

    private async Task<string> TenantAsync(int maxConcurrent)
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        await new AdmissionStore(_storage).SetLimitsAsync(account, new TenantLimits { CallsPerSecond = 100, MaxConcurrentCalls = maxConcurrent, MaxQueuedCalls = 1000 });
        return account;
    }

    [Fact]
    public async Task Inbound_calls_fill_the_tenants_limit_so_its_released_outbound_call_waits_until_one_ends()
    {
        var account = await TenantAsync(2);
        var inboundNode = Node("node-inbound");
        var inbound = Inbound(inboundNode);
        var dispatchNode = Node("node-dispatch");
        var puller = Puller(dispatchNode);
        var queue = _storage.Queue(QueueNames.DispatchFor(account));
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync($$"""{"AccountSid":"{{account}}","CallSid":"CA0"}""");
        var started = new List<DispatchedCall>();
        Task<bool> Start(DispatchedCall call, CancellationToken _)
        {
            started.Add(call);
            return Task.FromResult(true);
        }

        Assert.Equal(new SlotAnswer(true, 2), await inbound.TryTakeAsync(account, CancellationToken.None));
        Assert.Equal(new SlotAnswer(true, 2), await inbound.TryTakeAsync(account, CancellationToken.None));
        Assert.Equal(new SlotAnswer(false, 2), await inbound.TryTakeAsync(account, CancellationToken.None));
        Assert.Equal(2, await new TenantRunningCalls(_storage, _time).CountAsync(account));

        // The released call is received, finds no slot and goes back (hidden 1 s); it is not started.
        Assert.Equal(0, await puller.PullAsync(10, 0, Start, CancellationToken.None));
        Assert.Empty(started);
        Assert.Equal(1, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        // One inbound call ends: the outbound call takes its slot (once visible again), and inbound is full again.
        await inbound.ReturnAsync(account);
        Assert.Equal(1, await new TenantRunningCalls(_storage, _time).CountAsync(account));
        await WaitVisibleAsync(queue);
        Assert.Equal(1, await puller.PullAsync(10, 0, Start, CancellationToken.None));
        Assert.Single(started);
        Assert.False((await inbound.TryTakeAsync(account, CancellationToken.None)).Taken);
        Assert.Equal(2, await new TenantRunningCalls(_storage, _time).CountAsync(account));

        // The outbound call ends: an inbound call gets its slot.
        await dispatchNode.ReturnAsync(account);
        Assert.True((await inbound.TryTakeAsync(account, CancellationToken.None)).Taken);
    }

    [Fact]
    public async Task Tenants_do_not_share_slots_and_a_raised_limit_is_seen_once_the_cached_one_is_old()
    {
        var small = await TenantAsync(1);
        var other = await TenantAsync(1);
        var inbound = Inbound(Node("node-a"));

        Assert.True((await inbound.TryTakeAsync(small, CancellationToken.None)).Taken);
        Assert.False((await inbound.TryTakeAsync(small, CancellationToken.None)).Taken);
        Assert.True((await inbound.TryTakeAsync(other, CancellationToken.None)).Taken);

        await new AdmissionStore(_storage).SetLimitsAsync(small, new TenantLimits { CallsPerSecond = 100, MaxConcurrentCalls = 3, MaxQueuedCalls = 1000 });
        Assert.Equal(new SlotAnswer(false, 1), await inbound.TryTakeAsync(small, CancellationToken.None));
        _time.Advance(CachedTenantLimits.CacheFor);
        Assert.Equal(new SlotAnswer(true, 3), await inbound.TryTakeAsync(small, CancellationToken.None));
    }

    [Fact]
    public async Task A_dead_nodes_inbound_calls_stop_counting_after_the_expiry()
    {
        var account = await TenantAsync(2);
        var dead = Inbound(Node("node-dead"));
        var live = Node("node-live");
        Assert.True((await dead.TryTakeAsync(account, CancellationToken.None)).Taken);
        Assert.True((await dead.TryTakeAsync(account, CancellationToken.None)).Taken);
        Assert.False((await Inbound(live).TryTakeAsync(account, CancellationToken.None)).Taken);

        // The dead node never rewrites its row; past the expiry its calls are not running any more.
        _time.Advance(TenantRunningCalls.DefaultExpiry + TimeSpan.FromSeconds(1));

        Assert.Equal(0, await new TenantRunningCalls(_storage, _time).CountAsync(account));
        Assert.True((await Inbound(live).TryTakeAsync(account, CancellationToken.None)).Taken);
    }

    /// <summary>The put-back message reappears after its 1 s visibility timeout (real storage time, not the fake clock).</summary>
    private static async Task WaitVisibleAsync(Azure.Storage.Queues.QueueClient queue)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await queue.PeekMessagesAsync(1, deadline.Token)).Value.Length == 0)
        {
            await Task.Delay(100, deadline.Token);
        }
    }
}
