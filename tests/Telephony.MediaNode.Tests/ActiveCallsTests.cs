using Telephony.MediaNode.Work;

namespace Telephony.MediaNode.Tests;

/// <summary>What the node's slots offer to dispatch (DispatchWorker pulls <see cref="ActiveCalls.DispatchSlots"/>) and to inbound calls.</summary>
public sealed class ActiveCallsTests
{
    [Fact]
    public void A_reserve_node_offers_no_slot_to_dispatch_but_inbound_calls_still_take_free_slots_and_active_again_offers_them()
    {
        var slots = new ActiveCalls(4);
        Assert.True(slots.TryReserve());

        Assert.True(slots.SetReserve(true));
        Assert.False(slots.SetReserve(true));
        var whileReserve = slots.DispatchSlots;
        var inbound = slots.TryReserve();
        Assert.True(slots.SetReserve(false));

        Assert.Equal(0, whileReserve);
        Assert.True(inbound);
        Assert.Equal(2, slots.DispatchSlots);
    }

    [Fact]
    public void A_draining_node_offers_nothing_whether_reserve_or_not()
    {
        var slots = new ActiveCalls(4);
        slots.Drain();

        Assert.Equal(0, slots.DispatchSlots);
        Assert.False(slots.TryReserve());
    }
}
