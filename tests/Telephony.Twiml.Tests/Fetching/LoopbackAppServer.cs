using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Web;
using Telephony.Testing;

namespace Telephony.Twiml.Tests.Fetching;

/// <summary>A tenant application server on 127.0.0.1 (HttpListener): records every request, answers per path.</summary>
internal sealed class LoopbackAppServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Func<RecordedRequest, AppAnswer>> _routes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public LoopbackAppServer()
    {
        Port = FreePorts.Tcp();
        BaseUrl = $"http://127.0.0.1:{Port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string BaseUrl { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Completes (and stays completed) when any request arrives: lets tests wait on an event, not a sleep.</summary>
    public TaskCompletionSource RequestArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Url(string path) => BaseUrl + path;

    public void Map(string path, Func<RecordedRequest, AppAnswer> handler) => _routes[path] = handler;

    public void MapTwiml(string path, string twiml) => Map(path, _ => AppAnswer.Xml(twiml));

    public RecordedRequest[] For(string path) => [.. Requests.Where(r => r.Path == path)];

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
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
            var recorded = await RecordedRequest.FromAsync(context.Request, BaseUrl);
            Requests.Enqueue(recorded);
            RequestArrived.TrySetResult();
            var answer = _routes.TryGetValue(recorded.Path, out var handler) ? handler(recorded) : AppAnswer.Status(404);
            if (answer.Hang)
            {
                await Task.Delay(Timeout.Infinite, _stopping.Token);
            }

            context.Response.StatusCode = answer.StatusCode;
            if (answer.ContentType is not null)
            {
                context.Response.ContentType = answer.ContentType;
            }

            if (answer.Location is not null)
            {
                context.Response.RedirectLocation = answer.Location;
            }

            context.Response.ContentLength64 = answer.Body.Length;
            await context.Response.OutputStream.WriteAsync(answer.Body);
            context.Response.Close();
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            context.Response.Abort();
        }
        catch (HttpListenerException)
        {
            // The client went away (e.g. its read timeout fired).
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
            // Closing the listener ends GetContextAsync this way on some platforms.
        }

        _stopping.Dispose();
    }
}

internal sealed record RecordedRequest(
    string Method,
    string FullUrl,
    string Path,
    Dictionary<string, string> Headers,
    string Body,
    List<KeyValuePair<string, string>> Form,
    List<KeyValuePair<string, string>> Query)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public string? Param(string name) =>
        Form.Concat(Query).Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();

    public static async Task<RecordedRequest> FromAsync(HttpListenerRequest request, string baseUrl)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var rawUrl = request.RawUrl ?? "/";
        var queryStart = rawUrl.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? rawUrl : rawUrl[..queryStart];
        var headers = request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        var form = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) == true ? Pairs(body) : [];
        var query = queryStart < 0 ? [] : Pairs(rawUrl[(queryStart + 1)..]);
        return new RecordedRequest(request.HttpMethod, baseUrl + rawUrl, path, headers, body, form, query);
    }

    private static List<KeyValuePair<string, string>> Pairs(string encoded)
    {
        var parsed = HttpUtility.ParseQueryString(encoded);
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var key in parsed.AllKeys)
        {
            foreach (var value in parsed.GetValues(key) ?? [])
            {
                pairs.Add(new(key ?? string.Empty, value));
            }
        }

        return pairs;
    }
}

internal sealed record AppAnswer(int StatusCode, string? ContentType, byte[] Body, string? Location = null, bool Hang = false)
{
    public static AppAnswer Xml(string twiml) => new(200, "text/xml; charset=utf-8", Encoding.UTF8.GetBytes(twiml));

    public static AppAnswer Status(int status) => new(status, "text/plain", Encoding.UTF8.GetBytes("status " + status));

    public static AppAnswer Redirect(string location, int status = 302) => new(status, null, [], location);

    public static AppAnswer Never() => new(200, null, [], Hang: true);
}
