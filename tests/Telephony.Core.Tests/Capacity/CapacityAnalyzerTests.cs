using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Admission;
using Telephony.Core.Capacity;
using Telephony.Core.Ids;
using Telephony.Core.Nodes;
using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.Core.Tests.Capacity;

/// <summary>The analyzer on a private Azurite (the plan table is global, so no other test may share it).</summary>
public sealed class CapacityAnalyzerTests : IAsyncLifetime
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

    [Fact]
    public async Task Plans_from_pacing_backlog_and_heartbeats_and_keeps_history_newest_first()
    {
        var storage = new StorageClients(_azurite!.ConnectionString);
        var admission = new AdmissionStore(storage);
        var nodes = new NodeStore(storage);
        var plans = new CapacityPlanStore(storage);
        var settings = new CapacitySettings { DefaultNodeCapacity = 10, Headroom = 0, MeanCallDuration = TimeSpan.FromSeconds(1), ForecastHorizon = TimeSpan.FromSeconds(30) };
        var analyzer = new CapacityAnalyzer(storage, admission, nodes, plans, settings, _time, NullLogger<CapacityAnalyzer>.Instance);
        var admitter = new CallAdmitter(admission, _time, NullLogger<CallAdmitter>.Instance);
        var now = _time.GetUtcNow();
        await nodes.UpsertAsync(new NodeRecord { Id = "n1", Address = "udp:127.0.0.1:5080", Capacity = 10, ActiveCalls = 4, State = NodeState.Ready, StartedAt = now, LastHeartbeat = now });
        await nodes.UpsertAsync(new NodeRecord { Id = "gone", Address = "udp:127.0.0.1:5082", Capacity = 10, ActiveCalls = 9, State = NodeState.Ready, StartedAt = now, LastHeartbeat = now - TimeSpan.FromMinutes(5) });

        var first = await analyzer.AnalyzeAsync();
        Assert.Equal(1, first.DesiredNodes);
        Assert.Equal(4, first.ActiveCalls);
        Assert.Equal(1, first.LiveNodes);

        // A 100-call batch at 1 cps: 99 wait, 30 of them are released within the 30 s horizon.
        var account = Sid.NewRandom(Sid.AccountPrefix);
        for (var i = 0; i < 100; i++)
        {
            await admitter.AdmitAsync(account, "CA" + i);
        }

        _time.Advance(TimeSpan.FromSeconds(10));
        var second = await analyzer.AnalyzeAsync();

        Assert.Equal(100, second.AdmittedTotal);
        Assert.Equal(89, second.BacklogTotal);
        Assert.Equal(11, second.ReleasedTotal);
        Assert.Equal(11 / 10.0 * settings.Smoothing, second.ReleaseRate, 6); // 11 released in 10 s, smoothed from 0

        // Little's law on the scheduled release rate (30 due in 30 s = 1/s) x 1 s is below the 4 running calls.
        Assert.Equal(4, second.RequiredSlots);
        Assert.Equal(1, second.DesiredNodes);
        var history = await plans.RecentAsync(10);
        Assert.Equal([second.ComputedAt, first.ComputedAt], history.Select(p => p.ComputedAt));
        Assert.Equal(second.ComputedAt, (await plans.LatestAsync())?.ComputedAt);

        // Once the batch is released, calls still on the tenants' dispatch queues are unmet demand.
        _time.Advance(TimeSpan.FromSeconds(100));
        var otherAccount = Sid.NewRandom(Sid.AccountPrefix);
        for (var i = 0; i < 7; i++)
        {
            var dispatch = storage.Queue(Telephony.Core.Messaging.QueueNames.DispatchFor(i % 2 == 0 ? account : otherAccount));
            await dispatch.CreateIfNotExistsAsync();
            await dispatch.SendMessageAsync("{}");
        }

        now = _time.GetUtcNow();
        await nodes.UpsertAsync(new NodeRecord { Id = "n1", Address = "udp:127.0.0.1:5080", Capacity = 10, ActiveCalls = 4, State = NodeState.Ready, StartedAt = now, LastHeartbeat = now });
        var third = await analyzer.AnalyzeAsync();
        Assert.Equal(0, third.BacklogTotal);
        Assert.Equal(7, third.Waiting);
        Assert.Equal(4 + 7, third.RequiredSlots, 6); // Little's law (rate x 1 s) stays below the running calls
        Assert.Equal(2, third.DesiredNodes);
    }
}
