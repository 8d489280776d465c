using System.Net;
using System.Net.Sockets;

namespace Telephony.MediaNode.Configuration;

/// <summary>
/// Turns <see cref="NodeOptions.PublicHostName"/> into the address the node advertises in Via, Contact and SDP.
/// A container in Azure Container Instances sees only its private address; its public IP is known through the
/// DNS name label the allocator gave its container group, which may take a few seconds to appear in DNS.
/// </summary>
public static class PublicAddressResolver
{
    public static async Task<IPAddress> ResolveAsync(
        string hostName, int attempts, TimeSpan retryDelay, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostName);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var addresses = await Dns.GetHostAddressesAsync(hostName, cancellationToken);

                // SIP peers and trunks are IPv4 far more often than not: prefer it when the name has both.
                var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
                if (chosen is not null)
                {
                    return chosen;
                }
            }
            catch (SocketException) when (attempt < attempts)
            {
                // Not in DNS yet: the container can start before its name label is published.
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException(
                    $"{NodeOptions.Section}:PublicHostName: '{hostName}' did not resolve after {attempts} attempts ({e.SocketErrorCode}); the node cannot advertise a public address.", e);
            }

            if (attempt >= attempts)
            {
                throw new InvalidOperationException(
                    $"{NodeOptions.Section}:PublicHostName: '{hostName}' has no address after {attempts} attempts; the node cannot advertise a public address.");
            }

            await Task.Delay(retryDelay, time, cancellationToken);
        }
    }
}
