using System.Collections.Concurrent;
using System.Net;
using Telephony.Testing;

namespace Telephony.Media.Tests;

/// <summary>A real HTTP server on 127.0.0.1 (HttpListener) whose routes tests script; it counts what it receives.</summary>
internal sealed class LoopbackMediaServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, Func<HttpListenerContext, Task>> _routes = new();
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackMediaServer()
    {
        Port = FreePorts.Tcp();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public ConcurrentQueue<(string Path, string? IfNoneMatch, string? IfModifiedSince)> Requests { get; } = new();

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public int Count(string path) => _counts.GetValueOrDefault(path);

    public void Route(string path, Func<HttpListenerContext, Task> handler) => _routes[path] = handler;

    /// <summary>Serves a body with optional validators and caching headers; answers 304 when the validator matches.</summary>
    public void Serve(string path, Func<(byte[] Body, string ContentType, string? ETag, string? CacheControl)> current) =>
        Route(path, async context =>
        {
            var (body, contentType, etag, cacheControl) = current();
            if (cacheControl is not null)
            {
                context.Response.Headers["Cache-Control"] = cacheControl;
            }

            if (etag is not null)
            {
                context.Response.Headers["ETag"] = etag;
                if (context.Request.Headers["If-None-Match"] == etag)
                {
                    context.Response.StatusCode = 304;
                    context.Response.Close();
                    return;
                }
            }

            context.Response.ContentType = contentType;
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });

    private async Task AcceptAsync()
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
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                var path = context.Request.Url!.AbsolutePath;
                _counts.AddOrUpdate(path, 1, (_, n) => n + 1);
                Requests.Enqueue((path, context.Request.Headers["If-None-Match"], context.Request.Headers["If-Modified-Since"]));
                try
                {
                    if (_routes.TryGetValue(path, out var handler))
                    {
                        await handler(context);
                    }
                    else
                    {
                        context.Response.StatusCode = 404;
                        context.Response.Close();
                    }
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    // Shutting down.
                }
                catch (HttpListenerException)
                {
                    // The client went away (timeouts under test).
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // Close alone: Stop then Close unregisters twice, and on Linux the second attempt re-binds the port
        // ("Address already in use" when it is still held).
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }
}
