using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Telephony.Twiml.Fetching;

namespace Telephony.Twiml.Bench;

/// <summary>
/// Side by side against one loopback app server: a bare HttpClient POST of the same parameters (the app's own
/// response time) vs InstructionFetcher (signing, guarded connect, parsing, bookkeeping). The difference is the
/// fetch overhead (target: ≤ 0.2 ms at the median).
/// </summary>
[ShortRunJob]
[MedianColumn]
public class FetchOverheadBenchmarks : IDisposable
{
    private static readonly KeyValuePair<string, string>[] Parameters =
    [
        new("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        new("ApiVersion", "2010-04-01"),
        new("CallSid", "CA0123456789abcdef0123456789abcdef"),
        new("CallStatus", "in-progress"),
        new("Called", "+15557654321"),
        new("Caller", "+15551230000"),
        new("Direction", "inbound"),
        new("From", "+15551230000"),
        new("To", "+15557654321"),
        new("Digits", "1"),
        new("FinishedOnKey", string.Empty),
    ];

    private readonly byte[] _body = Encoding.UTF8.GetBytes(SampleDocuments.TypicalIvr);
    private HttpListener _listener = null!;
    private CancellationTokenSource _stop = null!;
    private HttpClient _bare = null!;
    private InstructionFetcher _fetcher = null!;
    private string _url = null!;

    [GlobalSetup]
    public void Setup()
    {
        var port = FreeTcpPort();
        _url = $"http://127.0.0.1:{port}/ivr/menu";
        _listener = new HttpListener();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _stop = new CancellationTokenSource();
        _ = Task.Run(ServeAsync);
        _bare = new HttpClient(new SocketsHttpHandler());
        _fetcher = new InstructionFetcher(new InstructionFetcherOptions { AllowInternalAddresses = true });
    }

    [Benchmark(Baseline = true)]
    public async Task<int> BareHttpPost()
    {
        using var response = await _bare.PostAsync(_url, new FormUrlEncodedContent(Parameters));
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    [Benchmark]
    public async Task<int> InstructionFetch()
    {
        var result = await _fetcher.FetchAsync(
            new FetchRequest { Url = _url, AuthToken = "0123456789abcdef0123456789abcdef", Parameters = Parameters }, CancellationToken.None);
        return result.Program!.Verbs.Count;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _bare.Dispose();
        _fetcher.Dispose();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            await context.Request.InputStream.CopyToAsync(Stream.Null);
            context.Response.ContentType = "text/xml";
            context.Response.ContentLength64 = _body.Length;
            await context.Response.OutputStream.WriteAsync(_body);
            context.Response.Close();
        }
    }

    private static int FreeTcpPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
