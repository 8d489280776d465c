using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Media.Speech;
using Telephony.Media.Transcoding;

namespace Telephony.Media.Cache;

/// <summary>
/// The media layer's entry point: a &lt;Play&gt; URL or &lt;Say&gt; text becomes 8 kHz mono G.711 WAV stored under a
/// content-derived address (sha256 of the normalized request) that every node reuses. Lookups go memory → disk →
/// Blob; URL entries follow HTTP freshness and revalidate with If-None-Match / If-Modified-Since; concurrent
/// requests for one address share one fetch or synthesis.
/// </summary>
public sealed class MediaCache
{
    private static readonly SearchValues<char> LowerHexDigits = SearchValues.Create("0123456789abcdef");
    private readonly BlobMediaStore _blobs;
    private readonly MemoryMediaCache _memory;
    private readonly DiskMediaCache? _disk;
    private readonly HttpMediaFetcher _fetcher;
    private readonly TelephonyTranscoder _transcoder;
    private readonly Lazy<TextToSpeech> _speech;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<MediaResult>>> _inFlight = new(StringComparer.Ordinal);

    public MediaCache(
        BlobMediaStore blobs,
        HttpMediaFetcher fetcher,
        MediaCacheOptions? options = null,
        TelephonyTranscoder? transcoder = null,
        Func<TextToSpeech>? speech = null,
        TimeProvider? time = null,
        ILogger<MediaCache>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(fetcher);
        options ??= new MediaCacheOptions();
        _blobs = blobs;
        _fetcher = fetcher;
        _memory = new MemoryMediaCache(options.MemoryBytes);
        _disk = options.DiskDirectory is { } directory ? new DiskMediaCache(directory, options.DiskBytes) : null;
        _transcoder = transcoder ?? new TelephonyTranscoder();
        _speech = new Lazy<TextToSpeech>(speech ?? (() => new TextToSpeech()), LazyThreadSafetyMode.ExecutionAndPublication);
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Wires the default pieces: Blob level on <paramref name="container"/>, HTTP fetcher, transcoder and TTS.</summary>
    public static MediaCache Create(
        Azure.Storage.Blobs.BlobContainerClient container,
        MediaCacheOptions? options = null,
        TextToSpeechOptions? speechOptions = null,
        TimeProvider? time = null,
        ILoggerFactory? loggers = null)
    {
        options ??= new MediaCacheOptions();
        time ??= TimeProvider.System;
        var decoder = new CompressedAudioDecoder(logger: loggers?.CreateLogger<CompressedAudioDecoder>());
        return new MediaCache(
            new BlobMediaStore(container),
            new HttpMediaFetcher(options, time),
            options,
            new TelephonyTranscoder(decoder, loggers?.CreateLogger<TelephonyTranscoder>()),
            () => new TextToSpeech(speechOptions, loggers?.CreateLogger<TextToSpeech>()),
            time,
            loggers?.CreateLogger<MediaCache>());
    }

    /// <summary>Returns the address of telephony audio for the request, creating it if needed.</summary>
    public async Task<MediaResult> GetOrCreateAsync(MediaRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (address, source) = Describe(request);
        var flight = _inFlight.GetOrAdd(address, key => new Lazy<Task<MediaResult>>(
            () => ResolveAsync(request, key, source), LazyThreadSafetyMode.ExecutionAndPublication));

        // Forget the flight once it lands, even if every waiter gave up before it did.
        _ = flight.Value.ContinueWith(
            _ => _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<MediaResult>>>(address, flight)),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

        // The shared work is not tied to any one caller's cancellation.
        return await flight.Value.WaitAsync(cancellationToken);
    }

    /// <summary>Opens stored audio by address (memory, disk, then Blob); null when nothing is stored there.</summary>
    public async Task<MediaContent?> OpenAsync(string address, CancellationToken cancellationToken)
    {
        if (!IsAddress(address))
        {
            return null;
        }

        if (_memory.TryGet(address, out var wav, out var metadata))
        {
            return new MediaContent(address, wav, metadata);
        }

        if (_disk is not null && await _disk.TryGetAsync(address, cancellationToken) is { } local)
        {
            _memory.Set(address, local.Wav, local.Metadata);
            return new MediaContent(address, local.Wav, local.Metadata);
        }

        var stored = await _blobs.GetMetadataAsync(address, cancellationToken);
        var bytes = stored is null ? null : await _blobs.DownloadAsync(address, cancellationToken);
        if (stored is null || bytes is null)
        {
            return null;
        }

        await KeepLocallyAsync(address, bytes, stored, cancellationToken);
        return new MediaContent(address, bytes, stored);
    }

    /// <summary>The persistent address a request maps to (64 lowercase hex digits).</summary>
    public string AddressOf(MediaRequest request) => Describe(request).Address;

    public static bool IsAddress(string? address) =>
        address is { Length: 64 } && address.AsSpan().IndexOfAnyExcept(LowerHexDigits) < 0;

    internal static Uri ValidateUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            throw new MediaException(MediaErrorCodes.InvalidUrl, $"'{url}' is not an absolute http(s) URL");
        }

        return uri;
    }

    private (string Address, string Source) Describe(MediaRequest request)
    {
        string key, source;
        if (request.Url is not null && request.Text is null)
        {
            var uri = ValidateUrl(request.Url);
            source = new UriBuilder(uri) { Fragment = string.Empty }.Uri.AbsoluteUri;
            key = $"v1\nurl\n{source}\n{request.Encoding}";
        }
        else if (request.Text is not null && request.Url is null)
        {
            // The engine and local voice are part of the key: a different engine is a different sound.
            var voice = _speech.Value.Describe(request.Voice, request.Language);
            source = $"say:{voice}";
            key = $"v1\nsay\n{voice}\n{request.Language}\n{request.Text}\n{request.Encoding}";
        }
        else
        {
            throw new ArgumentException("a media request has either a Url or a Text", nameof(request));
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return (Convert.ToHexStringLower(hash), source);
    }

    private async Task<MediaResult> ResolveAsync(MediaRequest request, string address, string source)
    {
        // Leave the caller's synchronous context: every waiter shares this task.
        await Task.Yield();
        var cancellationToken = CancellationToken.None;
        var now = _time.GetUtcNow();
        MediaEntryMetadata? known = null;
        byte[]? knownWav = null;

        if (_memory.TryGet(address, out var memoryWav, out var memoryMetadata))
        {
            if (memoryMetadata.IsFresh(now))
            {
                return Result(address, memoryMetadata, CacheOutcome.MemoryHit, memoryWav.Length);
            }

            (known, knownWav) = (memoryMetadata, memoryWav);
        }

        if (known is null && _disk is not null && await _disk.TryGetAsync(address, cancellationToken) is { } local)
        {
            _memory.Set(address, local.Wav, local.Metadata);
            if (local.Metadata.IsFresh(now))
            {
                return Result(address, local.Metadata, CacheOutcome.DiskHit, local.Wav.Length);
            }

            (known, knownWav) = (local.Metadata, local.Wav);
        }

        // Another node may have stored or revalidated it since.
        var shared = await _blobs.GetMetadataAsync(address, cancellationToken);
        if (shared is not null && shared.IsFresh(now))
        {
            var bytes = knownWav is not null && known?.ETag == shared.ETag && known?.LastModified == shared.LastModified && !request.IsSpeech
                ? knownWav
                : await _blobs.DownloadAsync(address, cancellationToken);
            if (bytes is not null)
            {
                await KeepLocallyAsync(address, bytes, shared, cancellationToken);
                return Result(address, shared, CacheOutcome.BlobHit, bytes.Length);
            }
        }

        if (shared is not null && (known is null || (shared.ExpiresAt ?? DateTimeOffset.MaxValue) > (known.ExpiresAt ?? DateTimeOffset.MaxValue)))
        {
            known = shared;
            knownWav = null;
        }

        return request.IsSpeech
            ? await SynthesizeAsync(request, address, source, cancellationToken)
            : await FetchAsync(request, address, source, known, knownWav, cancellationToken);
    }

    private async Task<MediaResult> SynthesizeAsync(MediaRequest request, string address, string source, CancellationToken cancellationToken)
    {
        var speech = await _speech.Value.SynthesizeAsync(request.Text!, request.Voice, request.Language, cancellationToken);
        var audio = TelephonyEncoder.Encode(speech, request.Encoding);
        var metadata = new MediaEntryMetadata { Source = source, DurationMs = (long)audio.Duration.TotalMilliseconds, Encoding = request.Encoding };
        var wav = audio.ToWavBytes();
        await StoreAsync(address, wav, metadata, cancellationToken);
        _logger.LogInformation("Synthesized {Address} ({DurationMs} ms) with {Voice}", address, metadata.DurationMs, source);
        return Result(address, metadata, CacheOutcome.Synthesized, wav.Length);
    }

    private async Task<MediaResult> FetchAsync(
        MediaRequest request, string address, string source, MediaEntryMetadata? known, byte[]? knownWav, CancellationToken cancellationToken)
    {
        var conditional = known is { HasValidators: true };
        var fetched = await _fetcher.FetchAsync(new Uri(source), conditional ? known!.ETag : null, conditional ? known!.LastModified : null, cancellationToken);
        if (fetched.NotModified && known is not null)
        {
            var refreshed = known with { ExpiresAt = fetched.ExpiresAt };
            knownWav ??= await _blobs.DownloadAsync(address, cancellationToken);
            if (knownWav is not null)
            {
                await _blobs.SetMetadataAsync(address, refreshed, cancellationToken);
                await KeepLocallyAsync(address, knownWav, refreshed, cancellationToken);
                _logger.LogDebug("Revalidated {Source} as {Address}", source, address);
                return Result(address, refreshed, CacheOutcome.Revalidated, knownWav.Length);
            }

            // The stored copy vanished: fetch unconditionally.
            fetched = await _fetcher.FetchAsync(new Uri(source), null, null, cancellationToken);
        }

        if (fetched.NotModified)
        {
            throw new MediaException(MediaErrorCodes.RetrievalFailure, $"{source} answered 304 to an unconditional request");
        }

        var audio = await _transcoder.TranscodeAsync(fetched.Body, fetched.ContentType, request.Encoding, cancellationToken);
        var metadata = new MediaEntryMetadata
        {
            Source = source,
            ETag = fetched.ETag,
            LastModified = fetched.LastModified,
            ExpiresAt = fetched.ExpiresAt,
            DurationMs = (long)audio.Duration.TotalMilliseconds,
            Encoding = request.Encoding,
        };
        var wav = audio.ToWavBytes();
        await StoreAsync(address, wav, metadata, cancellationToken);
        _logger.LogInformation("Fetched {Source} as {Address} ({DurationMs} ms)", source, address, metadata.DurationMs);
        return Result(address, metadata, CacheOutcome.Fetched, wav.Length);
    }

    private async Task StoreAsync(string address, byte[] wav, MediaEntryMetadata metadata, CancellationToken cancellationToken)
    {
        await _blobs.UploadAsync(address, wav, metadata, cancellationToken);
        await KeepLocallyAsync(address, wav, metadata, cancellationToken);
    }

    private async Task KeepLocallyAsync(string address, byte[] wav, MediaEntryMetadata metadata, CancellationToken cancellationToken)
    {
        _memory.Set(address, wav, metadata);
        if (_disk is not null)
        {
            await _disk.SetAsync(address, wav, metadata, cancellationToken);
        }
    }

    private static MediaResult Result(string address, MediaEntryMetadata metadata, CacheOutcome outcome, long size) =>
        new(address, TimeSpan.FromMilliseconds(metadata.DurationMs), metadata.Encoding, outcome, size);
}
