using System.Net;
using System.Net.Sockets;

namespace Telephony.Sip.Sdp;

/// <summary>A <c>c=</c> line: <c>IN IP4 192.0.2.1</c> or <c>IN IP6 ::1</c>. Multicast TTL/count suffixes are kept in <see cref="Address"/>.</summary>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    public static SdpConnection For(IPAddress address) =>
        new("IN", address.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4", address.ToString());

    /// <summary>The unicast address, or null when it is a host name or otherwise not a literal IP address.</summary>
    public IPAddress? TryGetIPAddress()
    {
        var slash = Address.IndexOf('/', StringComparison.Ordinal);
        var literal = slash < 0 ? Address : Address[..slash];
        return IPAddress.TryParse(literal, out var ip) ? ip : null;
    }

    /// <summary>RFC 2543-style hold: <c>c=IN IP4 0.0.0.0</c>.</summary>
    public bool IsNullAddress => TryGetIPAddress() is { } ip && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any));

    public override string ToString() => NetworkType + " " + AddressType + " " + Address;
}
