namespace Telephony.Media.Cache;

/// <summary>What a &lt;Play&gt; or &lt;Say&gt; needs: a source URL, or text with voice and language.</summary>
public sealed record MediaRequest
{
    public string? Url { get; init; }

    public string? Text { get; init; }

    public string? Voice { get; init; }

    public string? Language { get; init; }

    public TelephonyEncoding Encoding { get; init; } = TelephonyEncoding.MuLaw;

    public bool IsSpeech => Text is not null;

    public static MediaRequest ForUrl(string url, TelephonyEncoding encoding = TelephonyEncoding.MuLaw) =>
        new() { Url = url, Encoding = encoding };

    public static MediaRequest ForSpeech(string text, string? voice = null, string? language = null, TelephonyEncoding encoding = TelephonyEncoding.MuLaw) =>
        new() { Text = text, Voice = voice, Language = language, Encoding = encoding };
}

/// <summary>Where the answer came from.</summary>
public enum CacheOutcome
{
    MemoryHit,
    DiskHit,
    BlobHit,

    /// <summary>The source answered 304 Not Modified to a conditional request; the stored audio was reused.</summary>
    Revalidated,

    /// <summary>Downloaded (first time, changed, or expired without validators) and transcoded.</summary>
    Fetched,

    Synthesized,
}

/// <summary>The persistent address of telephony-ready audio and what is known about it.</summary>
public sealed record MediaResult(string Address, TimeSpan Duration, TelephonyEncoding Encoding, CacheOutcome Outcome, long SizeBytes);

/// <summary>Stored audio opened by address: a complete 8 kHz mono G.711 WAV file.</summary>
public sealed record MediaContent(string Address, ReadOnlyMemory<byte> Wav, MediaEntryMetadata Metadata)
{
    /// <summary>The raw G.711 code words, ready to packetize for RTP.</summary>
    public Transcoding.TelephonyAudio ToTelephonyAudio() => Transcoding.TelephonyAudio.FromWavBytes(Wav.ToArray());
}
