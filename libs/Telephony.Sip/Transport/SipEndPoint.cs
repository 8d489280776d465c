using System.Net;

namespace Telephony.Sip.Transport;

public enum SipTransportKind
{
    Udp,
    Tcp,
}

/// <summary>Where a message came from or goes to: transport plus IP end point.</summary>
public readonly record struct SipEndPoint(SipTransportKind Transport, IPEndPoint Address)
{
    public bool IsReliable => Transport == SipTransportKind.Tcp;

    public string TransportName => Transport == SipTransportKind.Tcp ? "TCP" : "UDP";

    public override string ToString() => $"{TransportName.ToLowerInvariant()}:{Address}";

    /// <summary>Parses `udp:127.0.0.1:5060`, `tcp:[::1]:5060` or `127.0.0.1:5060` (UDP).</summary>
    public static bool TryParse(string text, out SipEndPoint endPoint)
    {
        endPoint = default;
        var kind = SipTransportKind.Udp;
        var rest = text;
        if (text.StartsWith("udp:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase))
        {
            kind = text.StartsWith("tcp:", StringComparison.OrdinalIgnoreCase) ? SipTransportKind.Tcp : SipTransportKind.Udp;
            rest = text[4..];
        }

        if (!IPEndPoint.TryParse(rest, out var address))
        {
            return false;
        }

        endPoint = new SipEndPoint(kind, address);
        return true;
    }
}
