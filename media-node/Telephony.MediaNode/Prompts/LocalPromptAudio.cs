using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Telephony.Core.Net;
using Telephony.Media;
using Telephony.Media.Codecs;
using Telephony.Media.Dsp;
using Telephony.Media.Speech;
using Telephony.Media.Transcoding;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Prompts;

/// <summary>
/// In-process prompts: downloads and transcodes &lt;Play&gt; URLs with Telephony.Media, synthesizes &lt;Say&gt;
/// with its text-to-speech, and keeps recent results in memory. Used when the node has no media function.
/// </summary>
public sealed class LocalPromptAudio : IPromptAudio, IDisposable
{
    private const int MaxCachedPrompts = 256;
    private const long MaxDownloadBytes = 32 * 1024 * 1024;
    private readonly HttpClient _http;
    private readonly TelephonyTranscoder _transcoder;
    private readonly Lazy<TextToSpeech> _speech;
    private readonly ConcurrentDictionary<string, Task<short[]>> _cache = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    public LocalPromptAudio(bool allowInternalAddresses, ILogger<LocalPromptAudio> logger)
    {
        _http = new HttpClient(new GuardedConnector(allowInternalAddresses).CreateHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        _transcoder = new TelephonyTranscoder();
        _speech = new Lazy<TextToSpeech>(() => new TextToSpeech());
        _logger = logger;
    }

    public Task<short[]> PlayAsync(string url, CancellationToken cancellationToken) =>
        Cached("play\n" + url, () => DownloadAsync(url, cancellationToken));

    public Task<short[]> SayAsync(SpeechRequest speech, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(speech);
        return Cached($"say\n{speech.Voice}\n{speech.Language}\n{speech.Ssml ?? speech.Text}", () => SynthesizeAsync(speech, cancellationToken));
    }

    private async Task<short[]> Cached(string key, Func<Task<short[]>> produce)
    {
        if (_cache.Count > MaxCachedPrompts)
        {
            _cache.Clear();
        }

        var task = _cache.GetOrAdd(key, _ => produce());
        try
        {
            return await task;
        }
        catch
        {
            // Failures are not cached: the next call tries again.
            _cache.TryRemove(new KeyValuePair<string, Task<short[]>>(key, task));
            throw;
        }
    }

    private async Task<short[]> DownloadAsync(string url, CancellationToken cancellationToken)
    {
        byte[] body;
        string? contentType;
        try
        {
            using var response = await _http.GetAsync(new Uri(url), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new PromptAudioException(11200, $"GET {url} answered {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > MaxDownloadBytes)
            {
                throw new PromptAudioException(11200, $"{url} is larger than {MaxDownloadBytes} bytes");
            }

            contentType = response.Content.Headers.ContentType?.ToString();
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or UriFormatException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new PromptAudioException(11200, $"GET {url} failed: {e.Message}", e);
        }

        try
        {
            var audio = await _transcoder.TranscodeAsync(body, contentType, TelephonyEncoding.MuLaw, cancellationToken);
            var samples = new short[audio.Payload.Length];
            G711.Decode(audio.Payload, samples, audio.Encoding);
            _logger.LogDebug("Prompt {Url}: {Seconds:F1} s", url, audio.Duration.TotalSeconds);
            return samples;
        }
        catch (MediaException e)
        {
            throw new PromptAudioException(e.Code, e.Message, e);
        }
    }

    private async Task<short[]> SynthesizeAsync(SpeechRequest speech, CancellationToken cancellationToken)
    {
        try
        {
            var audio = await _speech.Value.SynthesizeAsync(speech.Ssml ?? speech.Text, speech.Voice, speech.Language, cancellationToken);
            var telephony = audio.SampleRate == TelephonyAudio.SampleRate ? audio : Resampler.Convert(audio, TelephonyAudio.SampleRate);
            var samples = new short[telephony.Samples.Length];
            for (var i = 0; i < samples.Length; i++)
            {
                samples[i] = G711.FloatToPcm16(telephony.Samples[i]);
            }

            return samples;
        }
        catch (MediaException e)
        {
            throw new PromptAudioException(e.Code, e.Message, e);
        }
    }

    public void Dispose() => _http.Dispose();
}
