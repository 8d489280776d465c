using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Admission;
using Telephony.Core.Errors;
using Telephony.Core.Ids;

namespace Telephony.Core.Tests.Admission;

public sealed class AdmissionStoreTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));

    private CallAdmitter Admitter() => new(new AdmissionStore(fixture.Storage), _time, NullLogger<CallAdmitter>.Instance);

    [Fact]
    public async Task Concurrent_admitters_hand_out_every_slot_exactly_once()
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        await new AdmissionStore(fixture.Storage).SetLimitsAsync(account, new TenantLimits { CallsPerSecond = 10, MaxConcurrentCalls = 5, MaxQueuedCalls = 1000 });
        const int admitters = 6;
        const int callsEach = 10;

        // Separate admitter instances (as separate function instances would be) racing on one tenant's row.
        var slots = await Task.WhenAll(Enumerable.Range(0, admitters).Select(async a =>
        {
            var admitter = Admitter();
            var mine = new List<AdmissionSlot>();
            for (var i = 0; i < callsEach; i++)
            {
                mine.Add(await admitter.AdmitAsync(account, $"CA{a}-{i}"));
            }

            return mine;
        }));

        var offsets = slots.SelectMany(s => s).Select(s => (long)s.Delay.TotalMilliseconds).Order().ToList();
        Assert.Equal(Enumerable.Range(0, admitters * callsEach).Select(i => i * 100L), offsets);
        var pacing = await new AdmissionStore(fixture.Storage).GetPacingAsync(account);
        Assert.Equal(admitters * callsEach, pacing.AdmittedTotal);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(6), pacing.NextSlot);
    }

    [Fact]
    public async Task Limits_round_trip_and_default_to_one_call_per_second()
    {
        var store = new AdmissionStore(fixture.Storage);
        var account = Sid.NewRandom(Sid.AccountPrefix);
        Assert.Equal(TenantLimits.Default, await store.GetLimitsAsync(account));

        var limits = new TenantLimits { CallsPerSecond = 2.5, MaxConcurrentCalls = 30, MaxQueuedCalls = 500 };
        await store.SetLimitsAsync(account, limits);

        Assert.Equal(limits, await store.GetLimitsAsync(account));
        await Assert.ThrowsAsync<TwilioException>(() => store.SetLimitsAsync(account, limits with { CallsPerSecond = 0 }));
        Assert.Equal(limits, await store.GetLimitsAsync(account));
    }

    [Fact]
    public async Task A_full_queue_refuses_new_calls_with_429_until_slots_pass()
    {
        var account = Sid.NewRandom(Sid.AccountPrefix);
        await new AdmissionStore(fixture.Storage).SetLimitsAsync(account, new TenantLimits { CallsPerSecond = 1, MaxConcurrentCalls = 5, MaxQueuedCalls = 2 });
        var admitter = Admitter();
        for (var i = 0; i < 3; i++)
        {
            await admitter.EnsureQueueRoomAsync(account);
            await admitter.AdmitAsync(account, $"CA{i}");
        }

        var refused = await Assert.ThrowsAsync<TwilioException>(() => admitter.EnsureQueueRoomAsync(account));
        Assert.Equal(429, refused.Error.Status);
        Assert.Equal(TwilioErrorCodes.TooManyRequests, refused.Error.Code);

        _time.Advance(TimeSpan.FromSeconds(1));
        await admitter.EnsureQueueRoomAsync(account);
    }

    [Fact]
    public async Task Pacing_of_every_tenant_is_listed_for_capacity_analysis()
    {
        var store = new AdmissionStore(fixture.Storage);
        var first = Sid.NewRandom(Sid.AccountPrefix);
        var second = Sid.NewRandom(Sid.AccountPrefix);
        await Admitter().AdmitAsync(first, "CA1");
        await Admitter().AdmitAsync(second, "CA2");
        await Admitter().AdmitAsync(second, "CA3");

        var all = await store.ListPacingAsync();

        Assert.Equal(1, all[first].AdmittedTotal);
        Assert.Equal(2, all[second].AdmittedTotal);
    }

    [Fact]
    public async Task Paced_since_names_tenants_that_admitted_recently_or_still_have_paced_calls_and_no_others()
    {
        var store = new AdmissionStore(fixture.Storage);
        var now = _time.GetUtcNow();
        var limits = new TenantLimits { CallsPerSecond = 1, MaxConcurrentCalls = 5, MaxQueuedCalls = 10_000 };
        var recent = Sid.NewRandom(Sid.AccountPrefix);
        var quiet = Sid.NewRandom(Sid.AccountPrefix);
        var longBatch = Sid.NewRandom(Sid.AccountPrefix);
        foreach (var account in new[] { recent, quiet, longBatch })
        {
            await store.SetLimitsAsync(account, limits);
        }

        await store.ReserveAsync(recent, state => AdmissionPacer.Admit(state, limits, now - TimeSpan.FromSeconds(30)));
        await store.ReserveAsync(quiet, state => AdmissionPacer.Admit(state, limits, now - TimeSpan.FromMinutes(10)));
        await store.ReserveAsync(longBatch, state => AdmissionPacer.AdmitMany(state, limits, now - TimeSpan.FromMinutes(10), 1000)); // paced until 6 min from now

        var listed = await store.ListPacedSinceAsync(now - TimeSpan.FromMinutes(2));

        Assert.Contains(recent, listed);
        Assert.Contains(longBatch, listed);
        Assert.DoesNotContain(quiet, listed);
    }
}
