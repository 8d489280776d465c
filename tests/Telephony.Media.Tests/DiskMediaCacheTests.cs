using Telephony.Media.Cache;

namespace Telephony.Media.Tests;

public sealed class DiskMediaCacheTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("disk-media-cache-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Round_trips_audio_and_metadata_and_stays_within_its_byte_budget()
    {
        var disk = new DiskMediaCache(_directory.FullName, capacityBytes: 2500);
        var metadata = new MediaEntryMetadata { Source = "https://example.com/a.wav", ETag = "\"e\"", DurationMs = 125, ExpiresAt = DateTimeOffset.UnixEpoch };

        await disk.SetAsync("a", new byte[1000], metadata, CancellationToken.None);
        File.SetLastWriteTimeUtc(Path.Combine(_directory.FullName, "a.wav"), DateTime.UtcNow.AddMinutes(-2));
        await disk.SetAsync("b", new byte[1000], metadata, CancellationToken.None);
        File.SetLastWriteTimeUtc(Path.Combine(_directory.FullName, "b.wav"), DateTime.UtcNow.AddMinutes(-1));
        await disk.SetAsync("c", Enumerable.Repeat((byte)7, 1000).ToArray(), metadata with { ETag = "\"c\"" }, CancellationToken.None);

        Assert.Null(await disk.TryGetAsync("a", CancellationToken.None)); // oldest, evicted
        Assert.NotNull(await disk.TryGetAsync("b", CancellationToken.None));
        var c = await disk.TryGetAsync("c", CancellationToken.None);
        Assert.Equal(7, c!.Value.Wav[999]);
        Assert.Equal(metadata with { ETag = "\"c\"" }, c.Value.Metadata);
        Assert.True(_directory.GetFiles("*.wav").Sum(f => f.Length) <= 2500);
        Assert.Empty(_directory.GetFiles("*.tmp"));
    }

    [Fact]
    public async Task A_corrupt_metadata_file_is_a_miss_not_a_crash()
    {
        var disk = new DiskMediaCache(_directory.FullName, capacityBytes: 1 << 20);
        await File.WriteAllTextAsync(Path.Combine(_directory.FullName, "x.json"), "{ not json");
        await File.WriteAllBytesAsync(Path.Combine(_directory.FullName, "x.wav"), new byte[10]);
        Assert.Null(await disk.TryGetAsync("x", CancellationToken.None));
        Assert.Null(await disk.TryGetAsync("never-written", CancellationToken.None));
    }
}
