using System.Diagnostics;
using System.Globalization;
using Telephony.Core.Batches;
using Telephony.Core.Storage;

namespace Telephony.Bench.Api;

/// <summary>
/// Prints (on stderr, so the markdown table stays clean) how a batch create progresses, read on the server's side:
/// the batch's stored call_count, which the API raises after every 100-call chunk. The client's own write position
/// says nothing here, because loopback socket buffers take megabytes of the body at once. Each line gives the rate
/// over the last interval (as the calls table grows), Azurite's resident memory and the load average.
/// </summary>
internal static class UploadProgress
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(15);

    public static Task Start(StorageClients storage, string accountSid, int? azuritePid, CancellationToken stop) => Task.Run(async () =>
    {
        var batches = new CallBatchStore(storage);
        var elapsed = Stopwatch.StartNew();
        string? batchSid = null;
        int lastCount = 0;
        var lastAt = TimeSpan.Zero;
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var page = await batches.ListAsync(accountSid, 1, null, stop);
                var newest = page.Items.Count > 0 ? page.Items[0] : null;
                if (newest is null || newest.UploadComplete || (batchSid is not null && newest.Sid != batchSid))
                {
                    continue;
                }

                batchSid = newest.Sid;
                var now = elapsed.Elapsed;
                var rate = (newest.CallCount - lastCount) / (now - lastAt).TotalSeconds;
                var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {now.TotalSeconds,6:F0} s: {newest.CallCount,7:N0} calls stored, {rate,5:F0} calls/s over the last {Every.TotalSeconds:F0} s ({(rate > 0 ? 100_000 / rate : double.NaN):F0} ms per 100-call chunk); Azurite RSS {RssMiB(azuritePid)} MiB; load {load}"));
                lastCount = newest.CallCount;
                lastAt = now;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }, CancellationToken.None);

    private static string RssMiB(int? pid)
    {
        if (pid is not { } id)
        {
            return "?";
        }

        try
        {
            using var process = Process.GetProcessById(id);
            return (process.WorkingSet64 / (1024 * 1024)).ToString(CultureInfo.InvariantCulture);
        }
        catch (ArgumentException)
        {
            return "gone";
        }
    }
}
