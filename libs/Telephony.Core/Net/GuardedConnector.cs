using System.Net;
using System.Net.Sockets;

namespace Telephony.Core.Net;

/// <summary>
/// Outbound HTTP to tenant URLs: resolves the host once, refuses internal addresses (unless allowed, for local mode
/// and tests) and connects to exactly the address it checked, so a DNS answer cannot change between check and use.
/// </summary>
public sealed class GuardedConnector(bool allowInternalAddresses)
{
    /// <summary>Per-request connect timeout; the fetcher sets it from the URL's <c>#ct</c> override.</summary>
    public static readonly HttpRequestOptionsKey<TimeSpan> ConnectTimeout = new("Telephony.ConnectTimeout");

    public bool AllowInternalAddresses { get; } = allowInternalAddresses;

    /// <summary>A handler whose connections all go through this guard (no automatic redirects: callers re-check each hop).</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = ConnectAsync,
    };

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var connectDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (context.InitialRequestMessage.Options.TryGetValue(ConnectTimeout, out var timeout) && timeout > TimeSpan.Zero)
        {
            connectDeadline.CancelAfter(timeout);
        }

        var host = context.DnsEndPoint.Host;
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(host, connectDeadline.Token);
        }
        catch (SocketException ex)
        {
            throw new UnresolvableHostException(host, ex);
        }

        var allowed = AllowInternalAddresses ? addresses : [.. addresses.Where(a => !InternalAddresses.IsInternal(a))];
        if (allowed.Length == 0)
        {
            throw addresses.Length == 0
                ? new UnresolvableHostException(host, null)
                : new ForbiddenDestinationException(host);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, connectDeadline.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ConnectTimeoutException(host);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>The URL's host resolves only to internal addresses and the guard is on.</summary>
public sealed class ForbiddenDestinationException(string host)
    : IOException($"'{host}' resolves to an internal address, which tenant URLs may not reach");

/// <summary>The URL's host name does not resolve.</summary>
public sealed class UnresolvableHostException(string host, Exception? inner)
    : IOException($"'{host}' does not resolve", inner);

/// <summary>TCP connect did not finish within the connect timeout.</summary>
public sealed class ConnectTimeoutException(string host)
    : IOException($"connecting to '{host}' timed out");
