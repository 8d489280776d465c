using Telephony.Media;
using Telephony.Media.Cache;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Prompts;

/// <summary>
/// Prompts from the media layer run in the node's own process: <see cref="MediaCache"/> (memory, then the
/// shared Blob container) fetches, transcodes or synthesizes once and every node reuses the address.
/// Used when the node is not pointed at the functions' <c>media</c> endpoint.
/// </summary>
public sealed class CachedPromptAudio(MediaCache cache) : IPromptAudio
{
    public Task<short[]> PlayAsync(string url, CancellationToken cancellationToken) =>
        GetAsync(MediaRequest.ForUrl(url), cancellationToken);

    public Task<short[]> SayAsync(SpeechRequest speech, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(speech);
        return GetAsync(MediaRequest.ForSpeech(speech.Ssml ?? speech.Text, speech.Voice, speech.Language), cancellationToken);
    }

    private async Task<short[]> GetAsync(MediaRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var resolved = await cache.GetOrCreateAsync(request, cancellationToken);
            var content = await cache.OpenAsync(resolved.Address, cancellationToken)
                ?? throw new PromptAudioException(MediaErrorCodes.RetrievalFailure, $"media {resolved.Address} vanished from the cache");
            return PromptWav.ToSamples(content.Wav.Span);
        }
        catch (MediaException e)
        {
            throw new PromptAudioException(e.Code, e.Message, e);
        }
        catch (ArgumentException e)
        {
            throw new PromptAudioException(MediaErrorCodes.InvalidUrl, e.Message, e);
        }
    }
}
