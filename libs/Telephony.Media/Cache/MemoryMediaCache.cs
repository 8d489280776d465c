namespace Telephony.Media.Cache;

/// <summary>Least-recently-used in-memory level, bounded by total bytes held.</summary>
public sealed class MemoryMediaCache
{
    private readonly long _capacityBytes;
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly Lock _gate = new();
    private long _bytes;

    public MemoryMediaCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        _capacityBytes = capacityBytes;
    }

    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(string address, out byte[] wav, out MediaEntryMetadata metadata)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(address, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                (wav, metadata) = (node.Value.Wav, node.Value.Metadata);
                return true;
            }
        }

        (wav, metadata) = ([], null!);
        return false;
    }

    public void Set(string address, byte[] wav, MediaEntryMetadata metadata)
    {
        lock (_gate)
        {
            Remove(address);
            if (wav.Length > _capacityBytes)
            {
                return;
            }

            _entries[address] = _recency.AddFirst(new Entry(address, wav, metadata));
            _bytes += wav.Length;
            while (_bytes > _capacityBytes && _recency.Last is { } oldest)
            {
                Remove(oldest.Value.Address);
            }
        }
    }

    public void UpdateMetadata(string address, MediaEntryMetadata metadata)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(address, out var node))
            {
                node.Value = node.Value with { Metadata = metadata };
            }
        }
    }

    private void Remove(string address)
    {
        if (_entries.Remove(address, out var node))
        {
            _recency.Remove(node);
            _bytes -= node.Value.Wav.Length;
        }
    }

    private sealed record Entry(string Address, byte[] Wav, MediaEntryMetadata Metadata);
}
