using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Telephony.Testing;

namespace Telephony.Deployment.Tests.Packaging;

/// <summary>
/// The packaged handler started the way the Functions host starts a custom handler: its
/// defaultExecutablePath in the app folder, host.json's arguments with the port expanded,
/// FUNCTIONS_CUSTOMHANDLER_PORT and the app settings in the environment.
/// </summary>
public sealed class PackagedHandler : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _output;

    private PackagedHandler(Process process, StringBuilder output, int port, string adminKey)
    {
        _process = process;
        _output = output;
        AdminKey = adminKey;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>A client for the handler's port, as the host's forwarding proxy would use.</summary>
    public HttpClient Client { get; }

    public string AdminKey { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<PackagedHandler> StartAsync(string appDirectory, HostJson host, string storageConnectionString)
    {
        var port = FreePorts.Tcp();
        var adminKey = "deploy-test-" + Guid.NewGuid().ToString("N");
        var start = new ProcessStartInfo(Path.Combine(appDirectory, host.DefaultExecutablePath))
        {
            WorkingDirectory = Path.Combine(appDirectory, host.WorkingDirectory),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in host.ArgumentsFor(port))
        {
            start.ArgumentList.Add(argument);
        }

        // Only what the host and the app settings provide; nothing inherited may pick the mode or the URLs.
        foreach (var inherited in new[] { "Telephony__HostMode", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_URLS" })
        {
            start.Environment.Remove(inherited);
        }

        start.Environment[HostJson.PortVariable] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["AzureWebJobsStorage"] = storageConnectionString;
        start.Environment["Telephony__AdminKey"] = adminKey;

        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("the packaged handler did not start");
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var handler = new PackagedHandler(process, output, port, adminKey);
        try
        {
            await handler.WaitUntilHealthyAsync();
        }
        catch
        {
            await handler.DisposeAsync();
            throw;
        }

        return handler;
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the packaged handler exited with code {_process.ExitCode}:{Environment.NewLine}{Output}");
            }

            try
            {
                using var response = await Client.GetAsync("/healthz", deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"the packaged handler did not answer /healthz within {StartTimeout}:{Environment.NewLine}{Output}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the packaged handler did not answer /healthz within {StartTimeout}:{Environment.NewLine}{Output}");
            }
        }
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            // Bounded: only the start of the log matters for a failure message.
            if (buffer.Length < 64 * 1024)
            {
                buffer.AppendLine(line);
            }
        }
    }
}
