using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Telephony.Core.Ids;
using Telephony.Core.Messaging;
using Telephony.Core.Storage;
using Telephony.Functions.Api;
using Telephony.Testing;

namespace Telephony.Bench.Api;

/// <summary>
/// <c>POST Calls.json</c> and <c>GET Calls/{sid}.json</c> through the real API (Kestrel on loopback) at
/// N concurrent clients, then the storage operations each request performs, issued directly with the
/// Azure SDK against the same Azurite at the same concurrency. Prints a markdown table.
/// Usage: dotnet run -c Release --project bench/api/Telephony.Bench.Api -- [seconds per round] [concurrency]
/// (or <c>-- batch 10000 100000</c> for <see cref="BatchBenchmark"/>).
/// </summary>
internal static class ApiBenchmark
{
    private const string AdminKey = "bench-operator-key";
    private const int Rounds = 3;

    public static async Task<int> Main(string[] args)
    {
        if (args is ["batch", .. var sizes])
        {
            return await BatchBenchmark.RunAsync(sizes.Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray());
        }

        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
        var warmup = TimeSpan.FromSeconds(1);
        var duration = TimeSpan.FromSeconds(seconds);

        await using var azurite = await AzuriteInstance.StartAsync();
        var port = FreePorts.Tcp();
        await using var app = await StartApiAsync(azurite.ConnectionString, port);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        };

        var (accountSid, authToken) = await CreateTenantAsync(http);
        http.DefaultRequestHeaders.Authorization = Basic(accountSid, authToken);
        var calls = $"/2010-04-01/Accounts/{accountSid}/Calls.json";
        var created = new System.Collections.Concurrent.ConcurrentBag<string>();
        var storage = new StorageClients(azurite.ConnectionString);
        var bare = new BareStorageOperations(storage, accountSid);
        await bare.InitializeAsync();
        var samples = Enumerable.Range(0, 4).Select(_ => new List<LoadSample>()).ToArray();

        // Alternate API and bare-storage rounds, so both see the same table sizes and machine load.
        for (var round = 0; round < Rounds; round++)
        {
            samples[0].Add(await LoadRun.RunAsync(concurrency, warmup, duration, async _ =>
            {
                using var response = await http.PostAsync(calls, CallForm());
                response.EnsureSuccessStatusCode();
                using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
                created.Add(json.RootElement.GetProperty("sid").GetString()!);
            }));
            samples[2].Add(await LoadRun.RunAsync(concurrency, warmup, duration, _ => bare.CreateAsync()));
            var sids = created.ToArray();
            samples[1].Add(await LoadRun.RunAsync(concurrency, warmup, duration, async i =>
            {
                using var response = await http.GetAsync($"/2010-04-01/Accounts/{accountSid}/Calls/{sids[i % sids.Length]}.json");
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
            }));
            samples[3].Add(await LoadRun.RunAsync(concurrency, warmup, duration, i => bare.FetchAsync(sids[i % sids.Length])));
        }

        var results = new[]
        {
            LoadRun.Summarize("API POST Calls.json", samples[0]),
            LoadRun.Summarize("API GET Calls/{sid}.json", samples[1]),
            LoadRun.Summarize("Storage for a create: read account, insert call, insert event, send message", samples[2]),
            LoadRun.Summarize("Storage for a fetch: read account, read call", samples[3]),
        };

        Console.WriteLine(FormattableString.Invariant($"{concurrency} concurrent clients, {Rounds} alternating rounds of {seconds} s measured (after {warmup.TotalSeconds} s warm-up) per operation, one Azurite (in-memory), {Environment.ProcessorCount} cores"));
        Console.WriteLine();
        Console.WriteLine("| operation | req/s | p50 ms | p99 ms | errors |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            Console.WriteLine(FormattableString.Invariant($"| {r.Name} | {r.PerSecond:F0} | {r.P50Ms:F1} | {r.P99Ms:F1} | {r.Errors} |"));
        }

        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"create: API throughput = {results[0].PerSecond / results[2].PerSecond:F2} x storage, API p50 = {results[0].P50Ms / results[2].P50Ms:F2} x storage p50"));
        Console.WriteLine(FormattableString.Invariant($"fetch:  API throughput = {results[1].PerSecond / results[3].PerSecond:F2} x storage, API p50 = {results[1].P50Ms / results[3].P50Ms:F2} x storage p50"));
        return results.Any(r => r.Errors > 0) ? 1 : 0;
    }

    /// <param name="logWarnings">Writes the API's warnings and errors to stderr (e.g. the storage failure behind a 503).</param>
    internal static async Task<WebApplication> StartApiAsync(string connectionString, int port, bool logWarnings = false)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["AzureWebJobsStorage"] = connectionString;
        builder.Configuration["Telephony:AdminKey"] = AdminKey;
        builder.Configuration["Telephony:HostMode"] = "ApiOnly";
        builder.Configuration["Telephony:Api:RequestsPerSecond"] = "1000000";
        builder.Configuration["Telephony:Api:Burst"] = "1000000";
        builder.Logging.ClearProviders();
        if (logWarnings)
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
            builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Warning);
        }

        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddTelephonyApi(builder.Configuration);

        // MapTelephonyApi also maps the operator and simulation endpoints: their services (unused here) must resolve.
        builder.Services.AddSingleton<Telephony.Core.Nodes.NodeStore>();
        builder.Services.AddSingleton<Telephony.Core.Capacity.CapacityPlanStore>();
        builder.Services.AddSingleton(sp => new Telephony.Twiml.Fetching.InstructionFetcher(
            new Telephony.Twiml.Fetching.InstructionFetcherOptions(), sp.GetRequiredService<ILogger<Telephony.Twiml.Fetching.InstructionFetcher>>()));
        var app = builder.Build();
        app.MapTelephonyApi();
        await app.StartAsync();
        return app;
    }

    internal static async Task<(string Sid, string Token)> CreateTenantAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2010-04-01/Accounts.json")
        {
            Content = new FormUrlEncodedContent([new("FriendlyName", "bench")]),
        };
        request.Headers.Authorization = Basic("admin", AdminKey);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return (json.RootElement.GetProperty("sid").GetString()!, json.RootElement.GetProperty("auth_token").GetString()!);
    }

    private static FormUrlEncodedContent CallForm() => new(
    [
        new("To", "+15550001234"), new("From", "+15559990000"), new("Url", "https://app.example/voice"),
        new("StatusCallback", "https://app.example/status"), new("StatusCallbackEvent", "completed"),
    ]);

    internal static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret)));

    /// <summary>The storage calls the API makes per request, with entities of the same size, straight through the Azure SDK.</summary>
    private sealed class BareStorageOperations(StorageClients storage, string accountSid)
    {
        private readonly TableClient _accounts = storage.Table(TableNames.Accounts);
        private readonly TableClient _calls = storage.Table(TableNames.Calls);
        private readonly Azure.Storage.Queues.QueueClient _queue = storage.Queue(QueueNames.CallRequests);

        public async Task InitializeAsync()
        {
            await _calls.CreateIfNotExistsAsync();
            await _queue.CreateIfNotExistsAsync();
        }

        public async Task CreateAsync()
        {
            await _accounts.GetEntityIfExistsAsync<TableEntity>("account", accountSid);
            var now = DateTimeOffset.UtcNow;
            var sid = Sid.NewTimeOrdered(Sid.CallPrefix, now);
            // The record and its "created" event row: one transaction in the account's partition.
            await _calls.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.Add, CallEntity(sid, now)),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(accountSid, $"EV~{sid}~{1L.ToString("D19", CultureInfo.InvariantCulture)}")
                {
                    ["CallSid"] = sid,
                    ["Sequence"] = 1L,
                    ["Timestamp_"] = now,
                    ["Type"] = "created",
                    ["Status"] = "queued",
                }),
            ]);
            await _queue.SendMessageAsync(MessageJson.Serialize(new CallRequestMessage { CallSid = sid, AccountSid = accountSid, RequestedAt = now }));
        }

        public async Task FetchAsync(string callSid)
        {
            await _accounts.GetEntityIfExistsAsync<TableEntity>("account", accountSid);
            await _calls.GetEntityIfExistsAsync<TableEntity>(accountSid, callSid);
        }

        private TableEntity CallEntity(string sid, DateTimeOffset now) => new(accountSid, sid)
        {
            ["To"] = "+15550001234",
            ["From"] = "+15559990000",
            ["Status"] = "queued",
            ["Direction"] = "outbound-api",
            ["DateCreated"] = now,
            ["DateUpdated"] = now,
            ["EventSequence"] = 1L,
            ["Url"] = "https://app.example/voice",
            ["Method"] = "POST",
            ["FallbackMethod"] = "POST",
            ["StatusCallback"] = "https://app.example/status",
            ["StatusCallbackMethod"] = "POST",
            ["StatusCallbackEvents"] = "completed",
            ["Timeout"] = 60,
            ["TimeLimit"] = 14400,
            ["Record"] = false,
            ["RecordingStatusCallbackMethod"] = "POST",
            ["RecordingStatusCallbackEvents"] = "completed",
        };
    }
}
