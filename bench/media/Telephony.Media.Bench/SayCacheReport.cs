using System.Diagnostics;
using Azure.Storage.Blobs;
using Telephony.Media.Cache;
using Telephony.Testing;

namespace Telephony.Media.Bench;

/// <summary>&lt;Say&gt; latency: first synthesis vs hits from memory, disk and Blob (a real Azurite), p50/p99.</summary>
internal static class SayCacheReport
{
    private const int Samples = 200;

    public static async Task<int> RunAsync(TextWriter output)
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        var container = new BlobContainerClient(azurite.ConnectionString, "media-bench");
        var disk = Directory.CreateTempSubdirectory("media-bench-disk-").FullName;
        var options = new MediaCacheOptions { DiskDirectory = disk };
        using var fetcher = new HttpMediaFetcher(options, TimeProvider.System);
        // One engine per process, as on a node (the voice list is read once).
        var speech = new Telephony.Media.Speech.TextToSpeech();
        var synthesis = new List<double>();
        var memory = new List<double>();
        var diskHits = new List<double>();
        var blobHits = new List<double>();

        var node = new MediaCache(new BlobMediaStore(container), fetcher, options, speech: () => speech);
        for (var i = 0; i < 20; i++)
        {
            // Distinct text each time: a true first synthesis (espeak-ng run + resample + μ-law + Blob upload).
            synthesis.Add(await TimeAsync(node, MediaRequest.ForSpeech($"Thank you for calling, your reference is {i}."), CacheOutcome.Synthesized));
        }

        var request = MediaRequest.ForSpeech("Thank you for calling, your reference is 0.");
        for (var i = 0; i < Samples; i++)
        {
            memory.Add(await TimeAsync(node, request, CacheOutcome.MemoryHit));

            // A fresh node object has an empty memory level: the disk copy answers.
            var restarted = new MediaCache(new BlobMediaStore(container), fetcher, options, speech: () => speech);
            diskHits.Add(await TimeAsync(restarted, request, CacheOutcome.DiskHit));

            var otherNode = new MediaCache(new BlobMediaStore(container), fetcher, new MediaCacheOptions(), speech: () => speech);
            blobHits.Add(await TimeAsync(otherNode, request, CacheOutcome.BlobHit));
        }

        output.WriteLine("| <Say> path | n | p50 ms | p99 ms |");
        output.WriteLine("| --- | --- | --- | --- |");
        Row(output, "first synthesis (espeak-ng + encode + Blob upload)", synthesis);
        Row(output, "memory hit", memory);
        Row(output, "disk hit", diskHits);
        Row(output, "Blob hit (Azurite on loopback)", blobHits);
        Directory.Delete(disk, recursive: true);
        return 0;
    }

    private static async Task<double> TimeAsync(MediaCache cache, MediaRequest request, CacheOutcome expected)
    {
        var watch = Stopwatch.StartNew();
        var result = await cache.GetOrCreateAsync(request, CancellationToken.None);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        if (result.Outcome != expected)
        {
            throw new InvalidOperationException($"expected {expected}, got {result.Outcome}");
        }

        return elapsed;
    }

    private static void Row(TextWriter output, string name, List<double> values)
    {
        values.Sort();
        output.WriteLine($"| {name} | {values.Count} | {Percentile(values, 0.5):F3} | {Percentile(values, 0.99):F3} |");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
