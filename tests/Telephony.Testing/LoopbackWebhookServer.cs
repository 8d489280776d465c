using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Telephony.Testing;

/// <summary>One request a <see cref="LoopbackWebhookServer"/> received: the URL as sent, its signature header and form pairs in order.</summary>
public sealed record WebhookRequest(string Method, string Path, string Url, string? Signature, IReadOnlyList<KeyValuePair<string, string>> Form, byte[] Body)
{
    public string? this[string name] => Form.LastOrDefault(p => p.Key == name).Value;
}

/// <summary>What a route answers.</summary>
public sealed record WebhookAnswer(int Status, string ContentType, byte[] Body)
{
    public static WebhookAnswer Text(int status, string contentType, string body) => new(status, contentType, Encoding.UTF8.GetBytes(body));

    public static WebhookAnswer Xml(string twiml) => Text(200, "text/xml", twiml);

    public static WebhookAnswer Ok() => Text(200, "text/plain", "ok");
}

/// <summary>
/// A tenant's web server on 127.0.0.1 (HttpListener) for webhook tests: answers per path (404 otherwise), records
/// every request and lets tests wait for a request count with a timeout instead of sleeping.
/// </summary>
public sealed class LoopbackWebhookServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Func<WebhookRequest, WebhookAnswer>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<WebhookRequest> _requests = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly Task _loop;

    public LoopbackWebhookServer()
    {
        Port = FreePorts.Tcp();
        BaseUrl = $"http://127.0.0.1:{Port}";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string BaseUrl { get; }

    public IReadOnlyList<WebhookRequest> Requests => [.. _requests];

    public string Url(string path) => BaseUrl + path;

    public void Map(string path, Func<WebhookRequest, WebhookAnswer> handler) => _routes[path] = handler;

    public WebhookRequest[] For(string path) => [.. _requests.Where(r => r.Path == path)];

    /// <summary>Waits until <paramref name="path"/> has received at least <paramref name="count"/> requests.</summary>
    public async Task<WebhookRequest[]> WaitForAsync(string path, int count, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (For(path).Length < count)
        {
            try
            {
                await _arrived.WaitAsync(TimeSpan.FromMilliseconds(200), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{path} received {For(path).Length} of {count} requests within {timeout}");
            }
        }

        return For(path);
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
            var body = buffer.ToArray();
            var url = context.Request.Url!;
            var formText = context.Request.HttpMethod == "GET" ? url.Query.TrimStart('?') : Encoding.UTF8.GetString(body);
            var isForm = context.Request.HttpMethod == "GET" || (context.Request.ContentType ?? string.Empty).StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
            var request = new WebhookRequest(
                context.Request.HttpMethod, url.AbsolutePath, BaseUrl + context.Request.RawUrl, context.Request.Headers["X-Twilio-Signature"],
                isForm ? ParseForm(formText) : [], body);
            var answer = _routes.TryGetValue(request.Path, out var handler) ? handler(request) : WebhookAnswer.Text(404, "text/plain", "no route");
            _requests.Enqueue(request);
            _arrived.Release();
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            await context.Response.OutputStream.WriteAsync(answer.Body);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away or the server is stopping.
        }
    }

    private static List<KeyValuePair<string, string>> ParseForm(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? part : part[..equals];
            var value = equals < 0 ? string.Empty : part[(equals + 1)..];
            pairs.Add(new(Decode(name), Decode(value)));
        }

        return pairs;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop then Close unregisters twice, and on Linux the second attempt re-binds the port
        // ("Address already in use" when it is still held).
        _listener.Close();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _arrived.Dispose();
    }
}
