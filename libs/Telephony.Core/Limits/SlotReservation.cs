namespace Telephony.Core.Limits;

/// <summary>
/// One node's hold on one key's cluster-wide slots (<see cref="ClusterSlots"/>): the calls it runs and the slots its row
/// reserves, never fewer. A take uses a reserved slot the node is not using without asking storage; when none is left
/// the node reserves its call plus some headroom in storage. Only the arithmetic lives here: the caller serializes calls
/// and writes the row.
/// </summary>
internal sealed class SlotReservation
{
    /// <summary>
    /// At most this many unused slots per node and key. One reservation (a partition read and a transaction) then
    /// serves up to nine calls, and the give-back on returns is as rare: about 0.15 requests per call instead of three.
    /// A larger cap saves little more but doubles what one quiet node can keep from the others until its heartbeat.
    /// </summary>
    public const int MaxHeadroom = 8;

    /// <summary>A node reserves at most a quarter of the room left after its call: three quarters stay for the others.</summary>
    public const int RoomShare = 4;

    /// <summary>
    /// Below this much room left after a call no headroom is reserved: the last slots of a key go call by call, so near
    /// the limit no node holds slots it is not using while another is refused.
    /// </summary>
    public const int MinRoom = 8;

    private int _judgedLimit;
    private int _others;
    private DateTimeOffset _writtenAt;

    /// <summary>This node's calls holding a slot.</summary>
    public int Running { get; private set; }

    /// <summary>The slots this node's row holds as far as it knows (a lowering write that failed left the row higher: over-counting, never over-admitting).</summary>
    public int Reserved { get; private set; }

    /// <summary>The stored row may differ from <see cref="Reserved"/> (a write failed); the next refresh rewrites it.</summary>
    public bool Stale { get; private set; }

    /// <summary>
    /// The spare slots a node running <paramref name="running"/> calls may reserve when the other nodes hold
    /// <paramref name="others"/> of <paramref name="limit"/>: none when the room is small, else the smallest of the cap,
    /// a share of the room and the node's own calls (so headroom grows with use, and a node with one call keeps one spare).
    /// </summary>
    public static int Headroom(int limit, int others, int running)
    {
        var room = limit - others - running;
        return room < MinRoom ? 0 : Math.Min(Math.Min(MaxHeadroom, room / RoomShare), running);
    }

    /// <summary>
    /// Takes a reserved slot the node is not using, if one is left, the limit is not below the one it was reserved under
    /// and the row was written within <paramref name="freshFor"/> (others still count it).
    /// </summary>
    public bool TryUseReserved(int limit, DateTimeOffset now, TimeSpan freshFor)
    {
        if (Running >= Reserved || limit < _judgedLimit || now - _writtenAt >= freshFor)
        {
            return false;
        }

        Running++;
        return true;
    }

    /// <summary>The reservation to write for one more call when the other nodes hold <paramref name="others"/> slots; null when none is free.</summary>
    public int? ReservationForNextCall(int limit, int others)
    {
        var running = Running + 1;
        return others + running > limit ? null : running + Headroom(limit, others, running);
    }

    /// <summary>The reservation <paramref name="reserved"/> for one more call was written at <paramref name="now"/>.</summary>
    public void Reserve(int reserved, int limit, int others, DateTimeOffset now)
    {
        Running++;
        Reserved = reserved;
        _judgedLimit = limit;
        _others = others;
        Written(now);
    }

    /// <summary>
    /// A call ended. Returns the lower reservation to write when the unused slots grew beyond the headroom the node would
    /// be allowed now (judged on its last read of the others), else null. It keeps half of that headroom, so the next
    /// returns do not each write again.
    /// </summary>
    public int? Return()
    {
        Running = Math.Max(0, Running - 1);
        var allowed = Headroom(_judgedLimit, _others, Running);
        if (Reserved - Running <= allowed)
        {
            return null;
        }

        Reserved = Running + (allowed / 2);
        return Reserved;
    }

    /// <summary>The heartbeat: the reservation shrinks to the running calls; returns the row to write, or null when none is needed.</summary>
    public int? Refresh()
    {
        if (Reserved == 0 && !Stale)
        {
            return null;
        }

        Reserved = Running;
        return Reserved;
    }

    /// <summary>The row now holds <see cref="Reserved"/>, seen at <paramref name="now"/>.</summary>
    public void Written(DateTimeOffset now)
    {
        _writtenAt = now;
        Stale = false;
    }

    /// <summary>A write failed: the row still holds an older (higher) reservation until the next refresh.</summary>
    public void WriteFailed() => Stale = true;
}
