namespace Telephony.Media.Remote;

/// <summary>The body of <c>POST /node/v1/media</c>: a URL to play or text to say, and the G.711 flavour wanted.</summary>
public sealed record MediaResolveRequest
{
    public string? Url { get; init; }

    public MediaSay? Say { get; init; }

    /// <summary><c>ulaw</c> (default) or <c>alaw</c>.</summary>
    public string? Format { get; init; }
}

/// <summary>Text for &lt;Say&gt; with its voice and language as the verb gave them.</summary>
public sealed record MediaSay(string Text, string? Voice = null, string? Language = null);

/// <summary>The answer of <c>POST /node/v1/media</c>.</summary>
public sealed record MediaResolveResponse
{
    /// <summary>The persistent address (64 hex digits) to download with <c>GET /node/v1/media/{address}</c>.</summary>
    public required string Address { get; init; }

    /// <summary>Seconds of audio.</summary>
    public required double Duration { get; init; }

    /// <summary><c>ulaw</c> or <c>alaw</c>.</summary>
    public required string Format { get; init; }

    /// <summary>See <see cref="MediaCacheStates"/>.</summary>
    public required string Cache { get; init; }
}

/// <summary>Wire names of formats and cache outcomes shared by the media function and its clients.</summary>
public static class MediaCacheStates
{
    public const string Hit = "hit";
    public const string Miss = "miss";
    public const string Revalidated = "revalidated";

    public static string Of(Cache.CacheOutcome outcome) => outcome switch
    {
        Cache.CacheOutcome.MemoryHit or Cache.CacheOutcome.DiskHit or Cache.CacheOutcome.BlobHit => Hit,
        Cache.CacheOutcome.Revalidated => Revalidated,
        _ => Miss,
    };

    public static string FormatName(TelephonyEncoding encoding) => encoding == TelephonyEncoding.ALaw ? "alaw" : "ulaw";

    /// <summary>Parses <c>ulaw</c>/<c>alaw</c> (null means ulaw); false for anything else.</summary>
    public static bool TryParseFormat(string? format, out TelephonyEncoding encoding)
    {
        encoding = TelephonyEncoding.MuLaw;
        switch (format?.Trim().ToLowerInvariant())
        {
            case null or "" or "ulaw" or "mulaw" or "pcmu":
                return true;
            case "alaw" or "pcma":
                encoding = TelephonyEncoding.ALaw;
                return true;
            default:
                return false;
        }
    }
}
