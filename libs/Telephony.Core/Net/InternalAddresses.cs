using System.Net;
using System.Net.Sockets;

namespace Telephony.Core.Net;

/// <summary>
/// Addresses a tenant-supplied URL must not reach from inside the platform: loopback, private (RFC 1918, ULA),
/// link-local (incl. cloud metadata 169.254.169.254), carrier-grade NAT, unspecified, multicast and reserved ranges.
/// </summary>
public static class InternalAddresses
{
    public static bool IsInternal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) ||
            address.Equals(IPAddress.IPv6None))
        {
            return true;
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsInternalV4(address),
            AddressFamily.InterNetworkV6 => IsInternalV6(address),
            _ => true,
        };
    }

    private static bool IsInternalV4(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        return b[0] switch
        {
            0 or 10 or 127 => true,
            100 => b[1] is >= 64 and <= 127, // carrier-grade NAT 100.64/10
            169 => b[1] == 254, // link-local, cloud metadata
            172 => b[1] is >= 16 and <= 31,
            192 => (b[1] == 168) || (b[1] == 0 && b[2] is 0 or 2) || (b[1] == 88 && b[2] == 99),
            198 => b[1] is 18 or 19 || (b[1] == 51 && b[2] == 100),
            203 => b[1] == 0 && b[2] == 113,
            >= 224 => true, // multicast and reserved
            _ => false,
        };
    }

    private static bool IsInternalV6(IPAddress address)
    {
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast)
        {
            return true;
        }

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        var uniqueLocal = (b[0] & 0xFE) == 0xFC; // fc00::/7
        var documentation = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8; // 2001:db8::/32
        var nat64Embedded = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B; // 64:ff9b::/96 hides IPv4 targets
        return uniqueLocal || documentation || nat64Embedded;
    }
}
