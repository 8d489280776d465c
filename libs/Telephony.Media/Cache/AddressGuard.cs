using System.Net;
using System.Net.Sockets;

namespace Telephony.Media.Cache;

/// <summary>
/// Refuses addresses a tenant must not reach through the media fetcher (SSRF): loopback, private, CGNAT,
/// link-local (including the 169.254.169.254 metadata endpoint), multicast, reserved and documentation
/// ranges, IPv6 unique-local and link-local, and IPv4 embedded in IPv6 (mapped, NAT64) by the same rules.
/// </summary>
public static class AddressGuard
{
    private static readonly (uint Network, int PrefixLength)[] RefusedV4 =
    [
        (0x00000000, 8), // "this" network
        (0x0A000000, 8), // 10/8 private
        (0x64400000, 10), // 100.64/10 carrier-grade NAT
        (0x7F000000, 8), // loopback
        (0xA9FE0000, 16), // link-local, cloud metadata
        (0xAC100000, 12), // 172.16/12 private
        (0xC0000000, 24), // IETF protocol assignments
        (0xC0000200, 24), // TEST-NET-1
        (0xC0A80000, 16), // 192.168/16 private
        (0xC6120000, 15), // benchmarking
        (0xC6336400, 24), // TEST-NET-2
        (0xCB007100, 24), // TEST-NET-3
        (0xE0000000, 4), // multicast
        (0xF0000000, 4), // reserved and broadcast
    ];

    public static bool IsPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> bytes = stackalloc byte[4];
            address.TryWriteBytes(bytes, out _);
            var value = (uint)((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]);
            foreach (var (network, prefix) in RefusedV4)
            {
                var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
                if ((value & mask) == network)
                {
                    return false;
                }
            }

            return true;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        if (IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6Any.Equals(address) ||
            address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
        {
            return false;
        }

        var v6 = address.GetAddressBytes();

        // 64:ff9b::/96 (NAT64) and ::/96 (IPv4-compatible) carry an IPv4 address in the last 4 bytes.
        var nat64 = v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xFF && v6[3] == 0x9B && v6.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0;
        var compatible = v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        if (nat64 || compatible)
        {
            return IsPublic(new IPAddress(v6.AsSpan(12, 4)));
        }

        // 2001:db8::/32 documentation.
        return !(v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0D && v6[3] == 0xB8);
    }
}

/// <summary>Raised inside the connect callback when every resolved address is not allowed.</summary>
internal sealed class AddressRefusedException(string message) : Exception(message);
