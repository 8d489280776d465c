using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Core.Admission;
using Telephony.Core.Dispatch;
using Telephony.Core.Ids;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.Core.Tests.Dispatch;

/// <summary>The puller on a private Azurite: it lists every tenant's dispatch queue, so no other test may share them.</summary>
public sealed class DispatchPullerTests : IAsyncLifetime
{
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

    private DispatchPuller Puller(string nodeId, out TenantConcurrency concurrency)
    {
        concurrency = new TenantConcurrency(_storage, nodeId, TimeProvider.System, TimeSpan.FromSeconds(45), NullLogger<TenantConcurrency>.Instance);
        return new DispatchPuller(
            _storage, new DispatchQueues(_storage, TimeProvider.System, TimeSpan.Zero), new AdmissionStore(_storage), concurrency, TimeProvider.System,
            NullLogger<DispatchPuller>.Instance);
    }

    private async Task<string> TenantAsync(int waiting, int maxConcurrent)
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        await new AdmissionStore(_storage).SetLimitsAsync(account, new TenantLimits { CallsPerSecond = 100, MaxConcurrentCalls = maxConcurrent, MaxQueuedCalls = 1000 });
        var queue = _storage.Queue(QueueNames.DispatchFor(account));
        await queue.CreateIfNotExistsAsync();
        for (var i = 0; i < waiting; i++)
        {
            await queue.SendMessageAsync($$"""{"AccountSid":"{{account}}","CallSid":"CA{{i}}"}""");
        }

        return account;
    }

    [Fact]
    public async Task Four_free_slots_serve_the_light_tenants_calls_although_the_heavy_tenant_released_forty_first()
    {
        var heavy = await TenantAsync(40, 1000);
        var light = await TenantAsync(1, 1000);
        var started = new List<DispatchedCall>();

        var count = await Puller("node-a", out _).PullAsync(4, 0, (call, _) => { started.Add(call); return Task.FromResult(true); }, CancellationToken.None);

        Assert.Equal(4, count);
        Assert.Single(started, c => c.AccountSid == light);
        Assert.Equal(3, started.Count(c => c.AccountSid == heavy));
        Assert.All(started, c => Assert.Contains(c.AccountSid, c.Message.Body.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tenant_at_its_concurrency_limit_gets_no_more_calls_and_its_calls_wait_in_the_queue()
    {
        var limited = await TenantAsync(5, 2);
        var nodeA = Puller("node-a", out var tenantsA);
        var nodeB = Puller("node-b", out _);
        var started = new List<DispatchedCall>();
        Task<bool> Start(DispatchedCall call, CancellationToken _)
        {
            started.Add(call);
            return Task.FromResult(true);
        }

        Assert.Equal(2, await nodeA.PullAsync(10, 0, Start, CancellationToken.None));
        Assert.Equal(0, await nodeB.PullAsync(10, 0, Start, CancellationToken.None));

        // Nothing was lost: all five are still queued (two hidden while running, three waiting), and a call ending frees one slot.
        var queue = _storage.Queue(QueueNames.DispatchFor(limited));
        Assert.Equal(5, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        await tenantsA.ReturnAsync(limited);
        var again = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (again == 0)
        {
            // The refused messages were hidden for the limit retry (1 s); poll until they are visible again.
            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
            again = await nodeB.PullAsync(10, 0, Start, CancellationToken.None);
        }

        Assert.Equal(1, again);
        Assert.Equal(3, started.Count);
    }

    [Fact]
    public async Task A_call_the_node_cannot_take_after_all_is_put_back_at_once_with_its_tenant_slot()
    {
        var account = await TenantAsync(1, 1);
        var puller = Puller("node-a", out var tenants);

        Assert.Equal(0, await puller.PullAsync(1, 0, (_, _) => Task.FromResult(false), CancellationToken.None));

        Assert.Equal(0, tenants.Running(account));
        var message = await _storage.Queue(QueueNames.DispatchFor(account)).ReceiveMessagesAsync(1);
        Assert.Single(message.Value);
    }
}
