using System.Text.Json;

namespace Telephony.Media.Cache;

/// <summary>
/// Node-local disk level: {address}.wav beside {address}.json, each written to a temporary name and moved
/// into place so a reader never sees half a file. Bounded in bytes: the least recently written files go first.
/// </summary>
public sealed class DiskMediaCache
{
    private readonly string _directory;
    private readonly long _capacityBytes;
    private readonly Lock _trimGate = new();

    public DiskMediaCache(string directory, long capacityBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = directory;
        _capacityBytes = capacityBytes;
        Directory.CreateDirectory(directory);
    }

    public async Task<(byte[] Wav, MediaEntryMetadata Metadata)?> TryGetAsync(string address, CancellationToken cancellationToken)
    {
        var metadata = await ReadMetadataAsync(address, cancellationToken);
        if (metadata is null)
        {
            return null;
        }

        try
        {
            return (await File.ReadAllBytesAsync(WavPath(address), cancellationToken), metadata);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public async Task SetAsync(string address, byte[] wav, MediaEntryMetadata metadata, CancellationToken cancellationToken)
    {
        await WriteAtomicallyAsync(WavPath(address), wav, cancellationToken);
        await WriteMetadataAsync(address, metadata, cancellationToken);
        Trim();
    }

    public Task WriteMetadataAsync(string address, MediaEntryMetadata metadata, CancellationToken cancellationToken) =>
        WriteAtomicallyAsync(MetadataPath(address), JsonSerializer.SerializeToUtf8Bytes(metadata), cancellationToken);

    private async Task<MediaEntryMetadata?> ReadMetadataAsync(string address, CancellationToken cancellationToken)
    {
        try
        {
            var json = await File.ReadAllBytesAsync(MetadataPath(address), cancellationToken);
            return JsonSerializer.Deserialize<MediaEntryMetadata>(json);
        }
        catch (Exception error) when (error is FileNotFoundException or JsonException)
        {
            return null;
        }
    }

    private static async Task WriteAtomicallyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private void Trim()
    {
        lock (_trimGate)
        {
            var files = new DirectoryInfo(_directory).GetFiles("*.wav").OrderByDescending(f => f.LastWriteTimeUtc).ToList();
            long total = 0;
            foreach (var file in files)
            {
                total += file.Length;
                if (total > _capacityBytes)
                {
                    File.Delete(Path.ChangeExtension(file.FullName, ".json"));
                    file.Delete();
                }
            }
        }
    }

    private string WavPath(string address) => Path.Combine(_directory, address + ".wav");

    private string MetadataPath(string address) => Path.Combine(_directory, address + ".json");
}
