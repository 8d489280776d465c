using System.Collections.Concurrent;
namespace Telephony.MediaNode.Work;

/// <summary>The node's call slots, shared by outbound and inbound calls, and the calls running in them (by call sid, for live control).</summary>
public sealed class ActiveCalls(int capacity)
{
    private readonly ConcurrentDictionary<string, IRunningCall> _calls = new(StringComparer.Ordinal);
    private int _reserved;
    private volatile bool _draining;
    private volatile bool _reserve;

    public int Capacity => capacity;

    /// <summary>Slots taken, including calls still being set up.</summary>
    public int Count => Volatile.Read(ref _reserved);

    public int FreeSlots => _draining ? 0 : Math.Max(0, capacity - Count);

    public bool IsDraining => _draining;

    /// <summary>
    /// Slots offered to the dispatch queues: none while the node is reserve (the allocator lets its calls run down) or
    /// draining. Inbound calls still take any free slot.
    /// </summary>
    public int DispatchSlots => _reserve ? 0 : FreeSlots;

    public bool IsReserve => _reserve;

    /// <summary>Reserve or active, as the allocator asked in the node's row; returns true when that changed anything.</summary>
    public bool SetReserve(bool reserve)
    {
        var was = _reserve;
        _reserve = reserve;
        return was != reserve;
    }

    /// <summary>Stops taking new work; running calls finish.</summary>
    public void Drain() => _draining = true;

    /// <summary>Takes a slot if one is free; give it back with <see cref="Release"/>.</summary>
    public bool TryReserve()
    {
        while (!_draining)
        {
            var current = Volatile.Read(ref _reserved);
            if (current >= capacity)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _reserved, current + 1, current) == current)
            {
                return true;
            }
        }

        return false;
    }

    public void Release() => Interlocked.Decrement(ref _reserved);

    public void Add(IRunningCall runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        _calls[runner.CallSid] = runner;
    }

    public void Remove(string callSid) => _calls.TryRemove(callSid, out _);

    public IRunningCall? Find(string callSid) => _calls.TryGetValue(callSid, out var runner) ? runner : null;
}
