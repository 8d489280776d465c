using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Telephony.Media.Cache;

/// <summary>The shared, persistent level: one block blob per address ({address}.wav) with the entry metadata on it.</summary>
public sealed class BlobMediaStore
{
    private readonly BlobContainerClient _container;
    private readonly Lazy<Task> _created;

    public BlobMediaStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        _container = container;
        _created = new Lazy<Task>(() => _container.CreateIfNotExistsAsync(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public async Task<MediaEntryMetadata?> GetMetadataAsync(string address, CancellationToken cancellationToken)
    {
        await _created.Value;
        try
        {
            var properties = await Blob(address).GetPropertiesAsync(cancellationToken: cancellationToken);
            return MediaEntryMetadata.FromBlobMetadata(properties.Value.Metadata);
        }
        catch (RequestFailedException error) when (error.Status == 404)
        {
            return null;
        }
    }

    public async Task<byte[]?> DownloadAsync(string address, CancellationToken cancellationToken)
    {
        await _created.Value;
        try
        {
            var content = await Blob(address).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException error) when (error.Status == 404)
        {
            return null;
        }
    }

    public async Task UploadAsync(string address, byte[] wav, MediaEntryMetadata metadata, CancellationToken cancellationToken)
    {
        await _created.Value;
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "audio/wav" },
            Metadata = metadata.ToBlobMetadata(),
        };
        await Blob(address).UploadAsync(BinaryData.FromBytes(wav), options, cancellationToken);
    }

    public async Task SetMetadataAsync(string address, MediaEntryMetadata metadata, CancellationToken cancellationToken)
    {
        await _created.Value;
        await Blob(address).SetMetadataAsync(metadata.ToBlobMetadata(), cancellationToken: cancellationToken);
    }

    private BlobClient Blob(string address) => _container.GetBlobClient(address + ".wav");
}
