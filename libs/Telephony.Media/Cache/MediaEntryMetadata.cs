using System.Globalization;

namespace Telephony.Media.Cache;

/// <summary>What the cache remembers about one stored file; travels as Blob metadata and as a JSON file beside the disk copy.</summary>
public sealed record MediaEntryMetadata
{
    public required string Source { get; init; }

    public string? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    /// <summary>Null means it never goes stale (synthesized speech).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public long DurationMs { get; init; }

    public TelephonyEncoding Encoding { get; init; }

    public bool IsFresh(DateTimeOffset now) => ExpiresAt is not { } expires || now < expires;

    public bool HasValidators => ETag is not null || LastModified is not null;

    internal Dictionary<string, string> ToBlobMetadata()
    {
        var metadata = new Dictionary<string, string>
        {
            ["source"] = Uri.EscapeDataString(Source.Length > 2000 ? Source[..2000] : Source),
            ["durationms"] = DurationMs.ToString(CultureInfo.InvariantCulture),
            ["encoding"] = Encoding.ToString(),
        };
        if (ETag is not null)
        {
            metadata["etag"] = Uri.EscapeDataString(ETag);
        }

        if (LastModified is { } modified)
        {
            metadata["lastmodified"] = modified.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }

        if (ExpiresAt is { } expires)
        {
            metadata["expires"] = expires.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        }

        return metadata;
    }

    internal static MediaEntryMetadata? FromBlobMetadata(IDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue("source", out var source) || !metadata.TryGetValue("durationms", out var duration))
        {
            return null;
        }

        return new MediaEntryMetadata
        {
            Source = Uri.UnescapeDataString(source),
            DurationMs = long.TryParse(duration, CultureInfo.InvariantCulture, out var ms) ? ms : 0,
            Encoding = metadata.TryGetValue("encoding", out var encoding) && Enum.TryParse<TelephonyEncoding>(encoding, out var parsed) ? parsed : TelephonyEncoding.MuLaw,
            ETag = metadata.TryGetValue("etag", out var etag) ? Uri.UnescapeDataString(etag) : null,
            LastModified = metadata.TryGetValue("lastmodified", out var modified) && long.TryParse(modified, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null,
            ExpiresAt = metadata.TryGetValue("expires", out var expires) && long.TryParse(expires, CultureInfo.InvariantCulture, out var millis)
                ? DateTimeOffset.FromUnixTimeMilliseconds(millis) : null,
        };
    }
}
