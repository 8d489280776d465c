using System.Collections.Concurrent;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Prompts;

/// <summary>
/// Keeps synthesized &lt;Say&gt; audio in the node's memory, so a text said on every call (a greeting) costs no request to
/// the media layer after the first: the same text, SSML, voice and language always give the same speech. Concurrent
/// first requests share one fetch; a failed fetch is not kept. Bounded by total samples: once full, new texts are
/// fetched every time (the media layer still caches them). &lt;Play&gt; URLs always go to the media layer, whose HTTP
/// caching decides freshness.
/// </summary>
public sealed class SpeechPromptMemory(IPromptAudio inner, long maxSamples) : IPromptAudio
{
    private readonly ConcurrentDictionary<SpeechRequest, Lazy<Task<short[]>>> _speech = new();
    private long _samples;

    /// <summary>Samples held (16-bit each).</summary>
    public long Samples => Interlocked.Read(ref _samples);

    public Task<short[]> PlayAsync(string url, CancellationToken cancellationToken) => inner.PlayAsync(url, cancellationToken);

    public async Task<short[]> SayAsync(SpeechRequest speech, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(speech);
        if (_speech.TryGetValue(speech, out var kept))
        {
            return await kept.Value.WaitAsync(cancellationToken);
        }

        if (Samples >= maxSamples)
        {
            return await inner.SayAsync(speech, cancellationToken);
        }

        // Not the caller's token: the fetch is shared, and one caller hanging up must not fail the others.
        var fetch = _speech.GetOrAdd(speech, s => new Lazy<Task<short[]>>(() => FetchAsync(s)));
        return await fetch.Value.WaitAsync(cancellationToken);
    }

    private async Task<short[]> FetchAsync(SpeechRequest speech)
    {
        try
        {
            var samples = await inner.SayAsync(speech, CancellationToken.None);
            Interlocked.Add(ref _samples, samples.Length);
            return samples;
        }
        catch
        {
            _speech.TryRemove(speech, out _);
            throw;
        }
    }
}
