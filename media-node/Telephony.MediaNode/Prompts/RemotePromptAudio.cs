using Telephony.Media;
using Telephony.Media.Cache;
using Telephony.Media.Remote;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Prompts;

/// <summary>Prompts from the functions app's <c>media</c> endpoint (resolve → address → download, kept on the node's disk).</summary>
public sealed class RemotePromptAudio(RemoteMediaClient media) : IPromptAudio
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
            var fetched = await media.GetAsync(request, cancellationToken);
            return PromptWav.ToSamples(fetched.Wav);
        }
        catch (MediaException e)
        {
            throw new PromptAudioException(e.Code, e.Message, e);
        }
    }
}
