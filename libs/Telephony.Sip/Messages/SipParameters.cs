using System.Text;

namespace Telephony.Sip.Messages;

/// <summary>An ordered list of `;name[=value]` parameters (URI or header), names compared case-insensitively.</summary>
public sealed class SipParameters : IEquatable<SipParameters>
{
    private readonly List<KeyValuePair<string, string?>> _items = [];

    public int Count => _items.Count;

    public IEnumerable<KeyValuePair<string, string?>> Items => _items;

    public bool Contains(string name) => IndexOf(name) >= 0;

    public string? this[string name] => IndexOf(name) is var i and >= 0 ? _items[i].Value : null;

    public void Set(string name, string? value)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _items[i] = new(name, value);
        }
        else
        {
            _items.Add(new(name, value));
        }
    }

    public void Remove(string name)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _items.RemoveAt(i);
        }
    }

    public SipParameters Clone()
    {
        var copy = new SipParameters();
        copy._items.AddRange(_items);
        return copy;
    }

    /// <summary>Parses `;a=b;c` (each parameter after a ';'). Values may be quoted strings. False on malformed input (`;;`, empty names).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, SipParameters into)
    {
        var rest = text.Trim();
        while (!rest.IsEmpty)
        {
            if (rest[0] != ';')
            {
                return false;
            }

            rest = rest[1..].TrimStart();

            var nameEnd = rest.IndexOfAny(";=");
            var name = (nameEnd < 0 ? rest : rest[..nameEnd]).Trim();
            if (!SipSyntax.IsToken(name))
            {
                return false;
            }

            string? value = null;
            if (nameEnd >= 0 && rest[nameEnd] == '=')
            {
                var valueText = rest[(nameEnd + 1)..].TrimStart();
                int consumed;
                if (!valueText.IsEmpty && valueText[0] == '"')
                {
                    if (!SipSyntax.TryReadQuoted(valueText, out var quotedLength))
                    {
                        return false;
                    }

                    value = valueText[..quotedLength].ToString();
                    consumed = quotedLength;
                }
                else
                {
                    var end = valueText.IndexOf(';');
                    var raw = (end < 0 ? valueText : valueText[..end]).Trim();
                    if (raw.IsEmpty || !SipSyntax.IsParamValue(raw))
                    {
                        return false;
                    }

                    value = raw.ToString();
                    consumed = end < 0 ? valueText.Length : end;
                }

                rest = valueText[consumed..].TrimStart();
                if (!rest.IsEmpty && rest[0] != ';')
                {
                    return false;
                }
            }
            else
            {
                rest = nameEnd < 0 ? [] : rest[nameEnd..];
            }

            into._items.Add(new(name.ToString(), value));
        }

        return true;
    }

    public void AppendTo(StringBuilder builder)
    {
        foreach (var (name, value) in _items)
        {
            builder.Append(';').Append(name);
            if (value is not null)
            {
                builder.Append('=').Append(value);
            }
        }
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        AppendTo(builder);
        return builder.ToString();
    }

    public bool Equals(SipParameters? other) =>
        other is not null && other._items.Count == _items.Count &&
        _items.Zip(other._items).All(p =>
            string.Equals(p.First.Key, p.Second.Key, StringComparison.OrdinalIgnoreCase) &&
            string.Equals(p.First.Value, p.Second.Value, StringComparison.Ordinal));

    public override bool Equals(object? obj) => Equals(obj as SipParameters);

    public override int GetHashCode() => _items.Count;

    private int IndexOf(string name)
    {
        for (var i = 0; i < _items.Count; i++)
        {
            if (string.Equals(_items[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
