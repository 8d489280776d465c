using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Net.Http.Headers;
using Telephony.Core.Errors;
using Telephony.Media.Cache;
using Telephony.Media.Remote;

namespace Telephony.Functions.Nodes;

/// <summary>
/// The media layer over HTTP for nodes: <c>POST /node/v1/media</c> turns a URL or text into a cached address
/// (through <see cref="MediaCache"/>), <c>GET /node/v1/media/{address}</c> serves the stored WAV with a content ETag.
/// </summary>
internal static class MediaEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<IResult> ResolveAsync(HttpContext http, MediaCache cache)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(cache);
        var body = await JsonSerializer.DeserializeAsync<MediaResolveRequest>(http.Request.Body, Json, http.RequestAborted)
            ?? throw new JsonException("the body is null");
        var result = await cache.GetOrCreateAsync(ToMediaRequest(body), http.RequestAborted);
        return Results.Json(
            new MediaResolveResponse
            {
                Address = result.Address,
                Duration = Math.Round(result.Duration.TotalSeconds, 3),
                Format = MediaCacheStates.FormatName(result.Encoding),
                Cache = MediaCacheStates.Of(result.Outcome),
            },
            Json);
    }

    public static async Task<IResult> DownloadAsync(HttpContext http, string address, MediaCache cache)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(cache);
        var content = await cache.OpenAsync(address, http.RequestAborted)
            ?? throw new TwilioException(TwilioError.NotFound("/node/v1/media/" + (address.Length <= 64 ? address : address[..64])));
        var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content.Wav.Span)[..16]) + "\"");
        if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } ifNoneMatch &&
            ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            http.Response.Headers.ETag = etag.ToString();
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        http.Response.Headers.CacheControl = "private, no-cache";
        http.Response.Headers["X-Media-Duration"] = (content.Metadata.DurationMs / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
        return Results.Bytes(content.Wav, "audio/wav", entityTag: etag);
    }

    /// <summary>The cache request for a node's body; exactly one of url and say, a known format.</summary>
    public static MediaRequest ToMediaRequest(MediaResolveRequest body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!MediaCacheStates.TryParseFormat(body.Format, out var encoding))
        {
            throw Invalid($"format must be ulaw or alaw, not '{Truncate(body.Format!)}'");
        }

        return (body.Url, body.Say) switch
        {
            ({ Length: > 0 } url, null) => MediaRequest.ForUrl(url, encoding),
            (null, { Text: { Length: > 0 } text } say) => MediaRequest.ForSpeech(text, say.Voice, say.Language, encoding),
            (null, not null) => throw Invalid("say.text is required"),
            _ => throw Invalid("give exactly one of url and say"),
        };
    }

    private static TwilioException Invalid(string message) => new(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, message));

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
