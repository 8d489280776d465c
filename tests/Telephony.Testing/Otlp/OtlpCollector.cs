using System.Collections.Concurrent;
using System.Net;

namespace Telephony.Testing.Otlp;

/// <summary>
/// An OTLP/HTTP (protobuf) collector on 127.0.0.1: programs export to it through their real OTLP exporters
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> = <see cref="Endpoint"/>, protocol http/protobuf); it keeps every span and
/// metric name and lets tests wait for what they expect instead of sleeping.
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ExportedSpan> _spans = new();
    private readonly ConcurrentDictionary<string, byte> _metricNames = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _loop;
    private int _logExports;

    public OtlpCollector()
    {
        var port = FreePorts.Tcp();
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The base endpoint; exporters append /v1/traces, /v1/metrics and /v1/logs.</summary>
    public string Endpoint { get; }

    public IReadOnlyList<ExportedSpan> Spans => [.. _spans];

    public IReadOnlyCollection<string> MetricNames => [.. _metricNames.Keys];

    public int LogExports => Volatile.Read(ref _logExports);

    /// <summary>The settings that point a program's OTLP exporter here, exporting every 100 ms.</summary>
    public IReadOnlyDictionary<string, string> ExporterSettings => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint,
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
    };

    /// <summary>Waits until <paramref name="done"/> holds for the spans received so far; returns them.</summary>
    public async Task<IReadOnlyList<ExportedSpan>> WaitForSpansAsync(Func<IReadOnlyList<ExportedSpan>, bool> done, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(done);
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var spans = Spans;
            if (done(spans))
            {
                return spans;
            }

            try
            {
                await _arrived.WaitAsync(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the collector did not receive {what} within {timeout}; it has:{Environment.NewLine}"
                    + string.Join(Environment.NewLine, spans.Select(s => $"{s.Service} {s.Name} {s.TraceId}/{s.SpanId} <- {s.ParentSpanId}")));
            }
        }
    }

    /// <summary>Waits until every name in <paramref name="names"/> was exported as a metric.</summary>
    public async Task WaitForMetricsAsync(IEnumerable<string> names, TimeSpan timeout)
    {
        var wanted = names.ToList();
        using var deadline = new CancellationTokenSource(timeout);
        while (wanted.Except(_metricNames.Keys).ToList() is { Count: > 0 } missing)
        {
            try
            {
                await _arrived.WaitAsync(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"metrics not exported within {timeout}: {string.Join(", ", missing)}; received: {string.Join(", ", _metricNames.Keys)}");
            }
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var status = 200;
            switch (context.Request.Url!.AbsolutePath)
            {
                case "/v1/traces":
                    foreach (var span in OtlpDecoder.Spans(buffer.ToArray()))
                    {
                        _spans.Enqueue(span);
                    }

                    break;
                case "/v1/metrics":
                    foreach (var name in OtlpDecoder.MetricNames(buffer.ToArray()))
                    {
                        _metricNames.TryAdd(name, 0);
                    }

                    break;
                case "/v1/logs":
                    Interlocked.Increment(ref _logExports);
                    break;
                default:
                    status = 404;
                    break;
            }

            _arrived.Release();

            // An empty protobuf message is a valid (empty) Export*ServiceResponse.
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException or InvalidDataException or IndexOutOfRangeException)
        {
            // A client that went away, or a body this reader cannot decode: the test waiting for it times out and says so.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone (see LoopbackWebhookServer).
        _listener.Close();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _arrived.Dispose();
    }
}
