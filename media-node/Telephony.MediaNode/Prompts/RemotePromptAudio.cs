using Telephony.Media.Cache;
using Telephony.Media.Remote;

namespace Telephony.MediaNode.Prompts;

/// <summary>Prompts from the functions app's <c>media</c> endpoint (resolve → address → download, kept on the node's disk).</summary>
public sealed class RemotePromptAudio(RemoteMediaClient media) : MediaPromptAudio
{
    protected override async Task<ReadOnlyMemory<byte>> LoadWavAsync(MediaRequest request, CancellationToken cancellationToken) =>
        (await media.GetAsync(request, cancellationToken)).Wav;
}
