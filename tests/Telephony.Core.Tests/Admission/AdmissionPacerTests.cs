using Telephony.Core.Admission;
using Telephony.Core.Errors;

namespace Telephony.Core.Tests.Admission;

public sealed class AdmissionPacerTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    private static TenantLimits Limits(double cps, int maxQueued = 200_000) =>
        new() { CallsPerSecond = cps, MaxConcurrentCalls = 100, MaxQueuedCalls = maxQueued };

    [Fact]
    public void An_idle_tenant_is_released_now_and_a_burst_is_spaced_by_its_rate()
    {
        var limits = Limits(cps: 4);
        var state = PacingState.Empty;
        var releases = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var slot = AdmissionPacer.Admit(state, limits, Start);
            releases.Add(slot.ReleaseAt - Start);
            Assert.Equal(slot.ReleaseAt - Start, slot.Delay);
            state = slot.Next;
        }

        Assert.Equal([0, 250, 500, 750, 1000], releases.Select(r => r.TotalMilliseconds));
        Assert.Equal(5, state.AdmittedTotal);
        Assert.Equal(4, state.QueuedAt(Start + TimeSpan.FromMilliseconds(1), limits));
        Assert.Equal(0, state.QueuedAt(Start + TimeSpan.FromSeconds(2), limits));
    }

    [Fact]
    public void Slots_do_not_accumulate_while_a_tenant_is_idle()
    {
        var limits = Limits(cps: 1);
        var state = AdmissionPacer.Admit(PacingState.Empty, limits, Start).Next;

        // An hour of silence gives no burst credit: the next two calls are still one second apart.
        var later = Start + TimeSpan.FromHours(1);
        var first = AdmissionPacer.Admit(state, limits, later);
        var second = AdmissionPacer.Admit(first.Next, limits, later);

        Assert.Equal(TimeSpan.Zero, first.Delay);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Delay);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public void A_heavy_batch_never_delays_light_tenants_beyond_their_own_spacing(int tenants)
    {
        // Tenant 0 submits 100,000 calls at once; the others submit one call every 2 s (half their 1 cps limit),
        // interleaved in arrival order as one shared admitter sees them.
        var limits = Enumerable.Range(0, tenants).Select(t => t == 0 ? Limits(cps: 50) : Limits(cps: 1)).ToArray();
        var states = Enumerable.Repeat(PacingState.Empty, tenants).ToArray();
        var waits = Enumerable.Range(0, tenants).Select(_ => new List<TimeSpan>()).ToArray();
        for (var i = 0; i < 100_000; i++)
        {
            var slot = AdmissionPacer.Admit(states[0], limits[0], Start);
            states[0] = slot.Next;
            waits[0].Add(slot.Delay);
        }

        for (var second = 0; second < 600; second += 2)
        {
            var now = Start + TimeSpan.FromSeconds(second);
            for (var t = 1; t < tenants; t++)
            {
                var slot = AdmissionPacer.Admit(states[t], limits[t], now);
                states[t] = slot.Next;
                waits[t].Add(slot.Delay);
            }
        }

        for (var t = 1; t < tenants; t++)
        {
            Assert.All(waits[t], wait => Assert.Equal(TimeSpan.Zero, wait));
        }

        // The heavy tenant is paced at exactly its own rate: its last call waits (100,000 - 1) / 50 s.
        Assert.Equal(TimeSpan.FromSeconds(99_999 / 50.0), waits[0][^1]);
    }

    [Fact]
    public void Light_tenants_bursting_at_their_limit_wait_at_most_their_own_spacing_times_their_burst()
    {
        var heavy = Limits(cps: 100);
        var light = Limits(cps: 2);
        var heavyState = PacingState.Empty;
        var lightState = PacingState.Empty;
        for (var i = 0; i < 10_000; i++)
        {
            heavyState = AdmissionPacer.Admit(heavyState, heavy, Start).Next;
        }

        // Three light calls arrive together: released at 0, 0.5 and 1.0 s regardless of the heavy backlog.
        var delays = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var slot = AdmissionPacer.Admit(lightState, light, Start);
            lightState = slot.Next;
            delays.Add(slot.Delay.TotalSeconds);
        }

        Assert.Equal([0, 0.5, 1.0], delays);
    }

    [Fact]
    public void Queue_room_runs_out_at_the_cap_and_returns_as_slots_pass()
    {
        var limits = Limits(cps: 1, maxQueued: 3);
        var state = PacingState.Empty;
        var admitted = 0;
        while (AdmissionPacer.HasQueueRoom(state, limits, Start))
        {
            state = AdmissionPacer.Admit(state, limits, Start).Next;
            admitted++;
        }

        // The first call is released at once; three more wait (1 s, 2 s, 3 s).
        Assert.Equal(4, admitted);
        Assert.True(AdmissionPacer.HasQueueRoom(state, limits, Start + TimeSpan.FromSeconds(1)));
    }

    [Theory]
    [InlineData(0, 10, 10)]
    [InlineData(-1, 10, 10)]
    [InlineData(double.NaN, 10, 10)]
    [InlineData(1001, 10, 10)]
    [InlineData(1, 0, 10)]
    [InlineData(1, 10, -1)]
    [InlineData(1, 10, 600_000)]
    public void Out_of_range_limits_are_refused_with_a_400(double cps, int maxConcurrent, int maxQueued)
    {
        var limits = new TenantLimits { CallsPerSecond = cps, MaxConcurrentCalls = maxConcurrent, MaxQueuedCalls = maxQueued };

        var error = Assert.Throws<TwilioException>(() => limits.Validated());

        Assert.Equal(400, error.Error.Status);
        Assert.Equal(TwilioErrorCodes.InvalidParameter, error.Error.Code);
    }
}
