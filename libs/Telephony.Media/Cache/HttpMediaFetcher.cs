using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Telephony.Media.Cache;

/// <summary>One HTTP answer for a media URL: new content, or "not modified" for a conditional request.</summary>
public sealed record FetchedMedia(
    bool NotModified,
    byte[] Body,
    string? ContentType,
    string? ETag,
    DateTimeOffset? LastModified,
    DateTimeOffset ExpiresAt);

/// <summary>
/// Fetches media URLs with limits (size, time, redirects), conditional requests, freshness from
/// Cache-Control/Expires, and the address guard enforced where the socket is opened: DNS is resolved
/// once, every resolved address is checked, and the connection goes to a checked address.
/// </summary>
public sealed class HttpMediaFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly MediaCacheOptions _options;
    private readonly TimeProvider _time;

    public HttpMediaFetcher(MediaCacheOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = options.FetchTimeout,
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("TelephonyServerless-Media", "1.0"));
    }

    public async Task<FetchedMedia> FetchAsync(Uri url, string? etag, DateTimeOffset? lastModified, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.FetchTimeout);
        try
        {
            return await FetchFollowingRedirectsAsync(url, etag, lastModified, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(MediaErrorCodes.RetrievalFailure, $"fetching {url} took longer than {_options.FetchTimeout.TotalSeconds:F0} s");
        }
        catch (HttpRequestException error)
        {
            throw Translate(url, error);
        }
    }

    private async Task<FetchedMedia> FetchFollowingRedirectsAsync(Uri url, string? etag, DateTimeOffset? lastModified, CancellationToken cancellationToken)
    {
        for (var hop = 0; hop <= _options.MaxRedirects; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (etag is not null && EntityTagHeaderValue.TryParse(etag, out var tag))
            {
                request.Headers.IfNoneMatch.Add(tag);
            }

            if (lastModified is not null)
            {
                request.Headers.IfModifiedSince = lastModified;
            }

            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308)
            {
                var location = response.Headers.Location ?? throw new MediaException(MediaErrorCodes.RetrievalFailure, $"{url} redirected without a Location");
                url = MediaCache.ValidateUrl(new Uri(url, location).AbsoluteUri);
                continue;
            }

            var expires = Freshness(response);
            if (status == 304)
            {
                return new FetchedMedia(true, [], null, etag, lastModified, expires);
            }

            if (status is < 200 or > 299)
            {
                throw new MediaException(MediaErrorCodes.RetrievalFailure, $"{url} answered HTTP {status}");
            }

            var contentType = response.Content.Headers.ContentType?.MediaType;
            if (contentType is not null && IsTextual(contentType))
            {
                throw new MediaException(MediaErrorCodes.InvalidContentType, $"{url} returned {contentType}, not audio");
            }

            var body = await ReadLimitedAsync(response, url, cancellationToken);
            return new FetchedMedia(false, body, contentType, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified, expires);
        }

        throw new MediaException(MediaErrorCodes.TooManyRedirects, $"{url}: more than {_options.MaxRedirects} redirects");
    }

    private async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, Uri url, CancellationToken cancellationToken)
    {
        var limit = _options.MaxDownloadBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            throw new MediaException(MediaErrorCodes.RetrievalFailure, $"{url} is {response.Content.Headers.ContentLength} bytes; the limit is {limit}");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > limit)
            {
                throw new MediaException(MediaErrorCodes.RetrievalFailure, $"{url} is larger than the {limit}-byte limit");
            }

            body.Write(buffer, 0, read);
        }

        return body.ToArray();
    }

    // RFC 9111: no-store/no-cache → stale at once (revalidate or refetch every time); else s-maxage, max-age, Expires.
    private DateTimeOffset Freshness(HttpResponseMessage response)
    {
        var now = _time.GetUtcNow();
        var cacheControl = response.Headers.CacheControl;
        if (cacheControl is not null)
        {
            if (cacheControl.NoStore || cacheControl.NoCache)
            {
                return now;
            }

            if ((cacheControl.SharedMaxAge ?? cacheControl.MaxAge) is { } maxAge)
            {
                return now + maxAge;
            }
        }

        if (response.Content.Headers.Expires is { } expires)
        {
            var date = response.Headers.Date;

            // Expires is relative to the server's clock; apply the difference to ours.
            return date is { } serverNow ? now + (expires - serverNow) : expires;
        }

        return now + _options.DefaultFreshness;
    }

    private static bool IsTextual(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) ||
        mediaType.Contains("json", StringComparison.OrdinalIgnoreCase) ||
        mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase) ||
        mediaType.Contains("html", StringComparison.OrdinalIgnoreCase);

    private static MediaException Translate(Uri url, HttpRequestException error)
    {
        for (Exception? inner = error; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case AddressRefusedException refused:
                    return new MediaException(MediaErrorCodes.RetrievalFailure, $"{url}: {refused.Message}", error);
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return new MediaException(MediaErrorCodes.BadHostName, $"{url}: host name not found", error);
                case SocketException socket:
                    return new MediaException(MediaErrorCodes.ConnectionFailure, $"{url}: connection failed ({socket.SocketErrorCode})", error);
            }
        }

        return new MediaException(MediaErrorCodes.RetrievalFailure, $"{url}: {error.Message}", error);
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (!_options.AllowPrivateAddresses)
        {
            var refused = addresses.FirstOrDefault(a => !AddressGuard.IsPublic(a));
            if (refused is not null)
            {
                throw new AddressRefusedException($"{host} resolves to {refused}, a private or reserved address that media fetching may not reach");
            }
        }

        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _client.Dispose();
}
