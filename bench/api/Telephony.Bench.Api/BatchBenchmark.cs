using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Telephony.Core.Batches;
using Telephony.Core.Calls;
using Telephony.Core.Storage;
using Telephony.Testing;

namespace Telephony.Bench.Api;

/// <summary>
/// <c>POST /v1/Accounts/{AC}/CallBatches</c> with N CSV rows, generated while they are sent (chunked, never
/// held whole on either side), through the real API on loopback Kestrel against one in-memory Azurite
/// (a separate process). Samples this process's working set and GC heap every 50 ms during the request,
/// then times a fetch (which reads the batch's status counters) and, beside it, a recount of the batch's calls
/// one by one (what fetch did before the counters; still the path for batches stored before them), and probes Azurite
/// with a 100-entity transaction into the tenant's partition and into an empty one (<see cref="PartitionProbe"/>).
/// Prints a markdown table; during a create, progress lines on stderr (<see cref="UploadProgress"/>) and the API's warnings.
/// Usage: dotnet run -c Release --project bench/api/Telephony.Bench.Api -- batch 10000 100000
/// </summary>
internal static class BatchBenchmark
{

    public static async Task<int> RunAsync(int[] sizes)
    {
        await using var azurite = await AzuriteInstance.StartAsync();
        var port = FreePorts.Tcp();
        await using var app = await ApiBenchmark.StartApiAsync(azurite.ConnectionString, port, logWarnings: true);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(30) };
        var (accountSid, authToken) = await ApiBenchmark.CreateTenantAsync(http);
        var storage = new StorageClients(azurite.ConnectionString);
        http.DefaultRequestHeaders.Authorization = ApiBenchmark.Basic(accountSid, authToken);

        // Warm up the code paths (JIT, tables, queues) so the first measured size is not charged for them.
        await PostAsync(http, accountSid, 200);
        Console.WriteLine(FormattableString.Invariant($"one Azurite (in-memory, own process), API on loopback Kestrel in this process, {Environment.ProcessorCount} cores"));
        Console.WriteLine();
        Console.WriteLine("| rows | body MiB | create s | rows/s | working set before MiB | peak working set MiB | peak GC heap MiB | allocated MiB | fetch (counters) ms | recount ms | 100-row transaction ms: tenant's partition / empty partition |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var failed = false;
        foreach (var rows in sizes)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            using var process = Process.GetCurrentProcess();
            var before = process.WorkingSet64;
            var allocatedBefore = GC.GetTotalAllocatedBytes();
            long peakWorkingSet = before, peakHeap = GC.GetTotalMemory(false);
            using var stop = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    process.Refresh();
                    peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                    peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                    try
                    {
                        await Task.Delay(50, stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            });

            var created = Stopwatch.StartNew();
            var progress = UploadProgress.Start(storage, accountSid, azurite.Pid, stop.Token);
            var (sid, callCount, bytes) = await PostAsync(http, accountSid, rows);
            created.Stop();
            await stop.CancelAsync();
            await sampler;
            await progress;
            var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;

            var fetch = Stopwatch.StartNew();
            using var fetched = await http.GetAsync($"/v1/Accounts/{accountSid}/CallBatches/{sid}");
            using var json = JsonDocument.Parse(await fetched.Content.ReadAsStringAsync());
            fetch.Stop();
            var queued = json.RootElement.GetProperty("counts").GetProperty("queued").GetInt32();

            var recount = Stopwatch.StartNew();
            var batch = await new CallBatchStore(storage).GetAsync(accountSid, sid) ?? throw new InvalidOperationException($"batch {sid} not stored");
            var counted = await new BatchCallQueries(storage).CountAsync(batch);
            recount.Stop();
            var (inTenant, inEmpty) = await PartitionProbe.RunAsync(storage, accountSid);
            failed |= callCount != rows || queued != rows || counted.GetValueOrDefault(CallStatus.Queued) != rows;

            const double MiB = 1024 * 1024;
            Console.WriteLine(FormattableString.Invariant(
                $"| {rows:N0} | {bytes / MiB:F1} | {created.Elapsed.TotalSeconds:F1} | {rows / created.Elapsed.TotalSeconds:F0} | {before / MiB:F0} | {peakWorkingSet / MiB:F0} | {peakHeap / MiB:F0} | {allocated / MiB:F0} | {fetch.Elapsed.TotalMilliseconds:F0} | {recount.Elapsed.TotalMilliseconds:F0} | {inTenant.TotalMilliseconds:F0} / {inEmpty.TotalMilliseconds:F0} |"));
        }

        return failed ? 1 : 0;
    }

    private static async Task<(string Sid, int CallCount, long Bytes)> PostAsync(HttpClient http, string accountSid, int rows)
    {
        var content = new GeneratedCsv(rows);
        using var response = await http.PostAsync($"/v1/Accounts/{accountSid}/CallBatches", content);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"batch of {rows} rows: {(int)response.StatusCode} {body}");
        }

        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("sid").GetString()!, json.RootElement.GetProperty("call_count").GetInt32(), content.Written);
    }

    /// <summary>A CSV body written row by row as the request is sent (no length: chunked transfer).</summary>
    private sealed class GeneratedCsv : HttpContent
    {
        private readonly int _rows;

        public GeneratedCsv(int rows)
        {
            _rows = rows;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        }

        public long Written { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var text = new StringBuilder("To,From,Url,StatusCallback,StatusCallbackEvent\r\n");
            for (var i = 0; i < _rows; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"+1555{i:D7},+15559990000,https://app.example/voice?row={i},https://app.example/status,\"initiated completed\"\r\n");
                if (text.Length > 32 * 1024 || i == _rows - 1)
                {
                    var bytes = Encoding.UTF8.GetBytes(text.ToString());
                    await stream.WriteAsync(bytes);
                    Written += bytes.Length;
                    text.Clear();
                }

            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
