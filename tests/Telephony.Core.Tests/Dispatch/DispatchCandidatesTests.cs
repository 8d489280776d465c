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
/// An idle node looks at the queues of tenants with recent admissions, not at every tenant's, on a private Azurite
/// (the candidates list every tenant's dispatch queue, so no other test may share them).
/// </summary>
public sealed class DispatchCandidatesTests : IAsyncLifetime
{
    private const int QuietTenants = 20;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
    private AzuriteInstance? _azurite;
    private StorageClients _storage = null!;
    private AdmissionStore _admission = null!;
    private List<string> _quiet = [];

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteInstance.StartAsync(useShared: false);
        _storage = new StorageClients(_azurite.ConnectionString);
        _admission = new AdmissionStore(_storage);
        _quiet = [.. Enumerable.Range(0, QuietTenants).Select(_ => Sid.NewRandom(Sid.AccountPrefix))];
        foreach (var account in _quiet)
        {
            await _storage.Queue(QueueNames.DispatchFor(account)).CreateIfNotExistsAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    /// <summary>A tenant whose call admit-calls has just admitted (its pacing row moved) and put on its queue.</summary>
    private async Task<string> AdmittedCallAsync()
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        await new CallAdmitter(_admission, _time, NullLogger<CallAdmitter>.Instance).AdmitAsync(account, "CA1");
        var queue = _storage.Queue(QueueNames.DispatchFor(account));
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync($$"""{"AccountSid":"{{account}}","CallSid":"CA1"}""");
        return account;
    }

    [Fact]
    public async Task After_the_first_sweep_only_recently_admitting_or_backlogged_tenants_are_looked_at_until_the_next_sweep()
    {
        var active = await AdmittedCallAsync();
        var candidates = new DispatchCandidates(new DispatchQueues(_storage, _time, TimeSpan.Zero), _admission, _time);

        var first = await candidates.NextAsync();
        Assert.Equal(QuietTenants + 1, first.Poll.Count);
        Assert.Equal(QuietTenants + 1, first.Known);

        var idle = await candidates.NextAsync();
        Assert.Equal([active], idle.Poll);
        Assert.Equal(QuietTenants + 1, idle.Known);

        // A quiet tenant this node found with more waiting than it took stays a candidate for a while.
        candidates.Received(_quiet[3], moreWaiting: true);
        candidates.Received(_quiet[4], moreWaiting: false);
        var withBacklogged = (await candidates.NextAsync()).Poll;
        Assert.Equal(new[] { active, _quiet[3] }.Order(StringComparer.Ordinal), withBacklogged.Order(StringComparer.Ordinal));

        // Past the sweep interval every queue is looked at once; past RecentFor nothing is left to watch.
        _time.Advance(DispatchCandidates.RecentFor + TimeSpan.FromSeconds(5));
        Assert.Equal(QuietTenants + 1, (await candidates.NextAsync()).Poll.Count);
        Assert.Empty((await candidates.NextAsync()).Poll);

        // A node that was full watched nothing meanwhile: its next look is at every queue.
        candidates.Full();
        Assert.Equal(QuietTenants + 1, (await candidates.NextAsync()).Poll.Count);
        Assert.Empty((await candidates.NextAsync()).Poll);
    }

    [Fact]
    public async Task An_idle_node_takes_a_newly_admitted_call_at_once_and_a_call_released_long_ago_at_the_sweep()
    {
        var concurrency = new TenantConcurrency(_storage, "node-a", _time, TimeSpan.FromSeconds(45), NullLogger<TenantConcurrency>.Instance);
        var puller = new DispatchPuller(_storage, new DispatchQueues(_storage, _time, TimeSpan.Zero), _admission, concurrency, _time, NullLogger<DispatchPuller>.Instance);
        var started = new List<string>();
        Task<bool> Start(DispatchedCall call, CancellationToken _)
        {
            started.Add(call.AccountSid);
            return Task.FromResult(true);
        }

        Assert.Equal(0, await puller.PullAsync(10, 1, Start, CancellationToken.None)); // the first look: every queue, all empty

        // A call released long ago (its tenant admitted nothing recently) and a call admitted now.
        var old = _storage.Queue(QueueNames.DispatchFor(_quiet[7]));
        await old.SendMessageAsync($$"""{"AccountSid":"{{_quiet[7]}}","CallSid":"CA7"}""");
        var active = await AdmittedCallAsync();

        Assert.Equal(1, await puller.PullAsync(10, 1, Start, CancellationToken.None));
        Assert.Equal([active], started);
        Assert.Single((await old.PeekMessagesAsync(5)).Value); // not received: still visible to every node

        _time.Advance(DispatchCandidates.SweepEvery);
        Assert.Equal(1, await puller.PullAsync(10, 1, Start, CancellationToken.None));
        Assert.Equal([active, _quiet[7]], started);
    }
}
