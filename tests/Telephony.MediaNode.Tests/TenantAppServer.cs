using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Telephony.Media;
using Telephony.Media.Codecs;
using Telephony.Media.Formats;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests;

/// <summary>A tenant's application server on loopback: serves TwiML per path and a test tone, and records every request.</summary>
public sealed class TenantAppServer : IAsyncDisposable
{
    public const int ToneHz = 1000;
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, string> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _gates = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public TenantAppServer()
    {
        Port = FreePorts.Tcp();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Every request: path and its form (or query) parameters.</summary>
    public ConcurrentQueue<AppRequest> Requests { get; } = new();

    public event Action<AppRequest>? RequestReceived;

    public string Url(string path) => BaseUrl + path;

    /// <summary>The first request to <paramref name="path"/> (one already received counts).</summary>
    public Task<AppRequest> NextRequest(string path, TimeSpan timeout)
    {
        var arrived = new TaskCompletionSource<AppRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRequest(AppRequest request)
        {
            if (request.Path == path)
            {
                arrived.TrySetResult(request);
            }
        }

        RequestReceived += OnRequest;
        if (Requests.FirstOrDefault(r => r.Path == path) is { } earlier)
        {
            arrived.TrySetResult(earlier);
        }

        _ = arrived.Task.ContinueWith(_ => RequestReceived -= OnRequest, TaskScheduler.Default);
        return arrived.Task.WaitAsync(timeout);
    }

    /// <summary>Serves <paramref name="twiml"/> at <paramref name="path"/>.</summary>
    public void Serve(string path, string twiml) => _documents[path] = twiml;

    /// <summary>A 1 s, 1 kHz tone as an 8 kHz μ-law WAV.</summary>
    public static byte[] ToneWav()
    {
        var codes = new byte[8000];
        for (var i = 0; i < codes.Length; i++)
        {
            var sample = (short)(12000 * Math.Sin(2 * Math.PI * ToneHz * i / 8000.0));
            codes[i] = G711.LinearToMuLaw(sample);
        }

        return WavFile.ToBytes(codes, 8000, SampleEncoding.MuLaw);
    }

    /// <summary>Holds answers for <paramref name="path"/> until the returned source is completed (a slow app server).</summary>
    public TaskCompletionSource Hold(string path)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gates[path] = gate.Task;
        return gate;
    }

    private async Task LoopAsync()
    {
        var tone = ToneWav();
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

            // Each request on its own: a held answer must not delay the others.
            _ = AnswerAsync(context, tone);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, byte[] tone)
    {
        try
        {
            var path = context.Request.Url!.AbsolutePath;
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var form = System.Web.HttpUtility.ParseQueryString(context.Request.HttpMethod == "GET" ? context.Request.Url.Query : body);
            var request = new AppRequest(path, context.Request.HttpMethod, form.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => form[k] ?? string.Empty))
            {
                Signature = context.Request.Headers["X-Twilio-Signature"],
            };
            Requests.Enqueue(request);
            RequestReceived?.Invoke(request);
            if (_gates.TryGetValue(path, out var gate))
            {
                await gate;
            }

            byte[] answer;
            if (path == "/tone.wav")
            {
                context.Response.ContentType = "audio/wav";
                answer = tone;
            }
            else if (_documents.TryGetValue(path, out var twiml))
            {
                context.Response.ContentType = "application/xml";
                answer = Encoding.UTF8.GetBytes(twiml);
            }
            else
            {
                context.Response.StatusCode = 404;
                answer = [];
            }

            await context.Response.OutputStream.WriteAsync(answer);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The client went away or the server is closing.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop then Close unregisters twice, and on Linux the second attempt re-binds the port
        // ("Address already in use" when it is still held).
        _listener.Close();
        await _loop;
    }
}

public sealed record AppRequest(string Path, string Method, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The request's X-Twilio-Signature header, if any.</summary>
    public string? Signature { get; init; }
}
