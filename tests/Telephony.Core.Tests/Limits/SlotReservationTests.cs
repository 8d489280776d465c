using Telephony.Core.Limits;

namespace Telephony.Core.Tests.Limits;

/// <summary>The reservation arithmetic of <see cref="ClusterSlots"/>: headroom, local takes, give-backs, the heartbeat's shrink.</summary>
public sealed class SlotReservationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(1000, 0, 1, 1)] // headroom grows with the node's own calls
    [InlineData(1000, 0, 3, 3)]
    [InlineData(1000, 0, 100, SlotReservation.MaxHeadroom)] // never above the cap
    [InlineData(100, 60, 20, 5)] // a quarter of the 20 slots left
    [InlineData(100, 80, 12, 2)] // 8 left: the smallest room that still gets headroom
    [InlineData(100, 80, 13, 0)] // 7 left: call by call
    [InlineData(SlotReservation.MinRoom, 0, 1, 0)] // a limit this small never has headroom
    public void Headroom_is_the_smallest_of_the_cap_a_quarter_of_the_room_and_the_nodes_calls_and_none_near_the_limit(int limit, int others, int running, int headroom) =>
        Assert.Equal(headroom, SlotReservation.Headroom(limit, others, running));

    [Fact]
    public void A_reservation_never_takes_the_cluster_past_the_limit_and_is_refused_only_when_no_slot_is_left()
    {
        for (var limit = 1; limit <= 60; limit++)
        {
            for (var others = 0; others <= limit; others++)
            {
                var reservation = new SlotReservation();
                while (reservation.ReservationForNextCall(limit, others) is { } reserved)
                {
                    Assert.InRange(reserved, reservation.Running + 1, limit - others);
                    reservation.Reserve(reserved, limit, others, Now);
                    while (reservation.TryUseReserved(limit, Now, FreshFor))
                    {
                        Assert.True(reservation.Running <= reservation.Reserved);
                    }
                }

                Assert.Equal(limit - others, reservation.Running);
                Assert.Equal(reservation.Running, reservation.Reserved);
            }
        }
    }

    [Fact]
    public void Reserved_slots_serve_takes_only_while_the_row_is_fresh_and_the_limit_not_lowered()
    {
        var reservation = new SlotReservation();
        reservation.Reserve(reservation.ReservationForNextCall(1000, 0)!.Value, 1000, 0, Now);
        reservation.Reserve(reservation.ReservationForNextCall(1000, 0)!.Value, 1000, 0, Now);
        Assert.Equal(2, reservation.Running);
        Assert.Equal(4, reservation.Reserved);

        Assert.False(reservation.TryUseReserved(999, Now, FreshFor)); // judged under 1000: a lower limit goes to storage
        Assert.False(reservation.TryUseReserved(1000, Now + FreshFor, FreshFor)); // others may soon stop counting the row
        Assert.True(reservation.TryUseReserved(1001, Now, FreshFor));
        Assert.True(reservation.TryUseReserved(1000, Now, FreshFor));
        Assert.False(reservation.TryUseReserved(1000, Now, FreshFor)); // all four running
        Assert.Equal(4, reservation.Running);
    }

    [Fact]
    public void Returns_are_local_until_the_unused_slots_outgrow_the_headroom_then_half_of_it_is_kept()
    {
        var reservation = Running(40, limit: 1000);
        var unused = reservation.Reserved - reservation.Running;
        Assert.InRange(unused, 0, SlotReservation.MaxHeadroom);

        // Unused slots may grow to the cap without a write; one more and the row goes down to running + half the cap.
        var localReturns = 0;
        int? lower;
        while ((lower = reservation.Return()) is null)
        {
            localReturns++;
        }

        Assert.Equal(SlotReservation.MaxHeadroom - unused, localReturns);
        Assert.Equal(reservation.Running + (SlotReservation.MaxHeadroom / 2), lower);
        Assert.Equal(lower, reservation.Reserved);

        // So the next returns are local again rather than each writing.
        for (var i = 0; i < SlotReservation.MaxHeadroom / 2; i++)
        {
            Assert.Null(reservation.Return());
        }

        Assert.NotNull(reservation.Return());
    }

    [Fact]
    public void Near_the_limit_every_return_gives_its_slot_back()
    {
        var reservation = Running(5, limit: 5);
        Assert.Equal(5, reservation.Reserved);

        Assert.Equal(4, reservation.Return());
        Assert.Equal(3, reservation.Return());
        Assert.Equal(3, reservation.Reserved);
    }

    [Fact]
    public void The_heartbeat_shrinks_the_reservation_to_the_running_calls_and_an_idle_key_writes_nothing_more()
    {
        var reservation = Running(20, limit: 1000);
        Assert.True(reservation.Reserved > 20);
        reservation.Return();

        Assert.Equal(19, reservation.Refresh());
        Assert.Equal(19, reservation.Reserved);
        Assert.False(reservation.TryUseReserved(1000, Now, FreshFor)); // the next take reserves again in storage

        // The last returns gave every slot back (near no calls there is no headroom): nothing left for the heartbeat.
        while (reservation.Running > 0)
        {
            reservation.Return();
        }

        Assert.Equal(0, reservation.Reserved);
        Assert.Null(reservation.Refresh());

        // A failed write is repeated by the next heartbeat even with nothing reserved.
        reservation.WriteFailed();
        Assert.Equal(0, reservation.Refresh());
    }

    /// <summary>A reservation running <paramref name="calls"/> calls, taken one by one the way <see cref="ClusterSlots"/> does (no other node).</summary>
    private static SlotReservation Running(int calls, int limit)
    {
        var reservation = new SlotReservation();
        while (reservation.Running < calls)
        {
            if (!reservation.TryUseReserved(limit, Now, FreshFor))
            {
                reservation.Reserve(reservation.ReservationForNextCall(limit, 0)!.Value, limit, 0, Now);
            }
        }

        return reservation;
    }
}
