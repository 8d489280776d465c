namespace Telephony.Sip.Messages;

/// <summary>One header line as it travels: canonical name and the (unfolded, trimmed) value.</summary>
public readonly record struct SipHeader(string Name, string Value);

/// <summary>The ordered header lines of a message. Repeated and comma-separated headers are both kept as received.</summary>
public sealed class SipHeaders : IEnumerable<SipHeader>
{
    private readonly List<SipHeader> _items = new(16);

    public int Count => _items.Count;

    public SipHeader this[int index] => _items[index];

    public void Add(string name, string value) => _items.Add(new SipHeader(HeaderNames.Canonical(name), value));

    /// <summary>Parser fast path: the name is already canonical.</summary>
    internal void AddCanonical(string canonicalName, string value) => _items.Add(new SipHeader(canonicalName, value));

    /// <summary>Inserts before any existing header of this name (used for Via and Record-Route).</summary>
    public void AddFirst(string name, string value)
    {
        var canonical = HeaderNames.Canonical(name);
        var index = _items.FindIndex(h => h.Name == canonical);
        _items.Insert(index < 0 ? _items.Count : index, new SipHeader(canonical, value));
    }

    public void Set(string name, string value)
    {
        var canonical = HeaderNames.Canonical(name);
        var index = _items.FindIndex(h => string.Equals(h.Name, canonical, StringComparison.OrdinalIgnoreCase));
        Remove(canonical);
        _items.Insert(index < 0 ? _items.Count : Math.Min(index, _items.Count), new SipHeader(canonical, value));
    }

    public int Remove(string name)
    {
        var canonical = HeaderNames.Canonical(name);
        return _items.RemoveAll(h => string.Equals(h.Name, canonical, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Removes the first value of a list header (the top Via), splitting a comma-joined line if needed.</summary>
    public void RemoveFirstValue(string name)
    {
        var canonical = HeaderNames.Canonical(name);
        var index = _items.FindIndex(h => string.Equals(h.Name, canonical, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            return;
        }

        var parts = SipSyntax.SplitList(_items[index].Value);
        if (parts.Count <= 1)
        {
            _items.RemoveAt(index);
        }
        else
        {
            _items[index] = new SipHeader(canonical, string.Join(", ", parts.Skip(1)));
        }
    }

    public string? Get(string name)
    {
        var canonical = HeaderNames.Canonical(name);
        foreach (var header in _items)
        {
            if (string.Equals(header.Name, canonical, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }

    public bool Contains(string name) => Get(name) is not null;

    /// <summary>Number of header lines with this name.</summary>
    public int LineCount(string name)
    {
        var canonical = HeaderNames.Canonical(name);
        return _items.Count(h => string.Equals(h.Name, canonical, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>All values in order: repeated lines, and list headers split at top-level commas.</summary>
    public List<string> GetValues(string name)
    {
        var canonical = HeaderNames.Canonical(name);
        var values = new List<string>();
        foreach (var header in _items)
        {
            if (string.Equals(header.Name, canonical, StringComparison.OrdinalIgnoreCase))
            {
                if (HeaderNames.IsList(canonical))
                {
                    values.AddRange(SipSyntax.SplitList(header.Value));
                }
                else
                {
                    values.Add(header.Value);
                }
            }
        }

        return values;
    }

    public IEnumerator<SipHeader> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
