using System.Collections.ObjectModel;

namespace Telephony.Sip.Sdp;

/// <summary>The <c>a=</c> lines of a session or media section, in order, with lookups by name.</summary>
public sealed class SdpAttributeList : Collection<SdpAttribute>
{
    public SdpAttribute? Find(string name) => this.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<SdpAttribute> FindAll(string name) => this.Where(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public bool Has(string name) => Find(name) is not null;

    /// <summary>The direction attribute, if one is present.</summary>
    public SdpDirection? Direction => this.Select(a => a.Value is null ? SdpDirections.FromAttributeName(a.Name) : null).FirstOrDefault(d => d is not null);

    /// <summary>Replaces any direction attribute with <paramref name="direction"/>.</summary>
    public void SetDirection(SdpDirection direction)
    {
        RemoveAll(a => a.Value is null && SdpDirections.FromAttributeName(a.Name) is not null);
        Add(new SdpAttribute(direction.ToAttributeName()));
    }

    public void RemoveAll(Func<SdpAttribute, bool> predicate)
    {
        for (var i = Count - 1; i >= 0; i--)
        {
            if (predicate(this[i]))
            {
                RemoveAt(i);
            }
        }
    }
}
