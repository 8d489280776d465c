using Telephony.Media;
using Telephony.Media.Cache;

namespace Telephony.MediaNode.Prompts;

/// <summary>
/// Prompts from the media layer run in the node's own process: <see cref="MediaCache"/> (memory, then the
/// shared Blob container) fetches, transcodes or synthesizes once and every node reuses the address.
/// Used when the node is not pointed at the functions' <c>media</c> endpoint.
/// </summary>
public sealed class CachedPromptAudio(MediaCache cache) : MediaPromptAudio
{
    protected override async Task<ReadOnlyMemory<byte>> LoadWavAsync(MediaRequest request, CancellationToken cancellationToken)
    {
        var resolved = await cache.GetOrCreateAsync(request, cancellationToken);
        var content = await cache.OpenAsync(resolved.Address, cancellationToken)
            ?? throw new MediaException(MediaErrorCodes.RetrievalFailure, $"media {resolved.Address} vanished from the cache");
        return content.Wav;
    }
}
