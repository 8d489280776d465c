using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.Media.Cache;

namespace Telephony.Media.Remote;

/// <summary>
/// A media node's way to the media layer: <see cref="ResolveAsync"/> asks the functions app's <c>media</c> endpoint
/// for the address of a &lt;Play&gt; URL or &lt;Say&gt; text (fetched, synthesized and cached there), and
/// <see cref="DownloadAsync"/> brings that address's WAV into the node's own disk cache, revalidating a kept copy
/// with If-None-Match. Failures throw <see cref="MediaException"/> with the Twilio code the endpoint reported.
/// </summary>
public sealed class RemoteMediaClient
{
    public const string MediaPath = "node/v1/media";

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _nodeKey;
    private readonly DiskMediaCache? _local;

    /// <param name="http">Used as is (its Timeout applies); the caller owns it.</param>
    /// <param name="functionsBaseUrl">The functions app, e.g. <c>http://127.0.0.1:7071/</c>.</param>
    /// <param name="nodeKey">The shared node key (<c>Telephony:NodeKey</c>).</param>
    /// <param name="localCache">Where downloaded audio is kept on the node; null downloads every time.</param>
    public RemoteMediaClient(HttpClient http, Uri functionsBaseUrl, string nodeKey, DiskMediaCache? localCache = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(functionsBaseUrl);
        ArgumentException.ThrowIfNullOrEmpty(nodeKey);
        _http = http;
        var baseUrl = functionsBaseUrl.AbsoluteUri.EndsWith('/') ? functionsBaseUrl : new Uri(functionsBaseUrl.AbsoluteUri + "/");
        _endpoint = new Uri(baseUrl, MediaPath);
        _nodeKey = nodeKey;
        _local = localCache;
    }

    /// <summary>The address, duration and format of telephony audio for <paramref name="request"/>.</summary>
    public async Task<MediaResolveResponse> ResolveAsync(MediaRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = new MediaResolveRequest
        {
            Url = request.IsSpeech ? null : request.Url,
            Say = request.IsSpeech ? new MediaSay(request.Text!, request.Voice, request.Language) : null,
            Format = MediaCacheStates.FormatName(request.Encoding),
        };
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = JsonContent.Create(body, options: Json) };
        using var response = await SendAsync(message, cancellationToken);
        await ThrowIfFailedAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<MediaResolveResponse>(Json, cancellationToken)
            ?? throw new MediaException(MediaErrorCodes.RetrievalFailure, "the media service answered an empty body");
    }

    /// <summary>The WAV stored at <paramref name="address"/>: from the node's disk cache when the service says it is current.</summary>
    public async Task<byte[]> DownloadAsync(string address, CancellationToken cancellationToken)
    {
        if (!MediaCache.IsAddress(address))
        {
            throw new ArgumentException($"'{address}' is not a media address", nameof(address));
        }

        var kept = _local is null ? null : await _local.TryGetAsync(address, cancellationToken);
        using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(_endpoint.AbsoluteUri + "/" + address));
        if (kept?.Metadata.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
        {
            message.Headers.IfNoneMatch.Add(tag);
        }

        using var response = await SendAsync(message, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotModified && kept is { } current)
        {
            return current.Wav;
        }

        await ThrowIfFailedAsync(response, cancellationToken);
        var wav = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (_local is not null && response.Headers.ETag is { } served)
        {
            await _local.SetAsync(address, wav, new MediaEntryMetadata { Source = "node:" + address, ETag = served.ToString() }, cancellationToken);
        }

        return wav;
    }

    /// <summary>Resolves and downloads in one step.</summary>
    public async Task<RemoteMedia> GetAsync(MediaRequest request, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(request, cancellationToken);
        return new RemoteMedia(resolved, await DownloadAsync(resolved.Address, cancellationToken));
    }

    private static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _nodeKey);
        try
        {
            return await _http.SendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(MediaErrorCodes.RetrievalFailure, "the media service is unreachable: " + e.Message, e);
        }
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var (code, message) = (MediaErrorCodes.RetrievalFailure, $"the media service answered {(int)response.StatusCode}");
        try
        {
            using var error = JsonDocument.Parse(text);
            if (error.RootElement.TryGetProperty("code", out var c) && c.TryGetInt32(out var parsed) && error.RootElement.TryGetProperty("message", out var m))
            {
                (code, message) = (parsed, m.GetString() ?? message);
            }
        }
        catch (JsonException)
        {
            // Not a Twilio error body (a proxy's page): keep the generic message.
        }

        throw new MediaException(code, message);
    }
}

/// <summary>Resolved media and its WAV bytes (8 kHz mono G.711).</summary>
public sealed record RemoteMedia(MediaResolveResponse Resolved, byte[] Wav);
