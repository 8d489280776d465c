using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Telephony.Functions.Hosting.Local;

/// <summary>
/// Starts the repository's pinned Azurite (node_modules/azurite) on free loopback ports, persisting
/// under <c>.data/azurite</c> (git-ignored) or in memory, and waits until all three services accept connections.
/// </summary>
internal static class AzuriteLauncher
{
    public const string ScriptKey = "Telephony:Azurite:Script";
    public const string InMemoryKey = "Telephony:Azurite:InMemory";
    public const string DataDirectoryKey = "Telephony:Azurite:DataDirectory";

    /// <summary>Fixed ports (e.g. from run.sh, which hands the same connection string to media nodes); free ports when unset.</summary>
    public const string BlobPortKey = "Telephony:Azurite:BlobPort";
    public const string QueuePortKey = "Telephony:Azurite:QueuePort";
    public const string TablePortKey = "Telephony:Azurite:TablePort";

    private const string AccountName = "devstoreaccount1";

    // Azurite's fixed, publicly documented development account key (not a secret).
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public static async Task<AzuriteProcess> StartAsync(IConfiguration configuration, string contentRoot, ILogger logger, CancellationToken cancellationToken = default)
    {
        var script = configuration[ScriptKey] ?? FindScript(contentRoot)
            ?? throw new InvalidOperationException(
                "Azurite is not installed: run `npm ci` in the repository root (run.sh does), set " + ScriptKey + ", or set AzureWebJobsStorage.");
        var repoRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(script)!, "..", "..", "..", ".."));
        var inMemory = bool.TryParse(configuration[InMemoryKey], out var memory) && memory;
        var dataDirectory = configuration[DataDirectoryKey] ?? Path.Combine(repoRoot, ".data", "azurite");

        int blob = Port(configuration, BlobPortKey), queue = Port(configuration, QueuePortKey), table = Port(configuration, TablePortKey);
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in new[] { "--skipApiVersionCheck", "--disableTelemetry", "--loose", "--silent" })
        {
            start.ArgumentList.Add(argument);
        }

        AddEndpoint(start, "blob", blob);
        AddEndpoint(start, "queue", queue);
        AddEndpoint(start, "table", table);
        if (inMemory)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(dataDirectory);
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(dataDirectory);
        }

        var errors = new StringBuilder();
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("Node.js is required to run Azurite (`node` was not found on PATH).", ex);
        }

        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new AzuriteProcess(process, BuildConnectionString(blob, queue, table));
        try
        {
            foreach (var port in new[] { blob, queue, table })
            {
                await WaitForPortAsync(process, port, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await azurite.DisposeAsync();
            string detail;
            lock (errors)
            {
                detail = errors.ToString().Trim();
            }

            throw new InvalidOperationException($"Azurite did not start: {ex.Message} {detail}".Trim(), ex);
        }

        logger.LogInformation(
            "Started Azurite (pid {ProcessId}, {Persistence}) blob:{BlobPort} queue:{QueuePort} table:{TablePort}",
            azurite.ProcessId, inMemory ? "in memory" : dataDirectory, blob, queue, table);
        return azurite;
    }

    public static string BuildConnectionString(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    private static void AddEndpoint(ProcessStartInfo start, string service, int port)
    {
        start.ArgumentList.Add($"--{service}Host");
        start.ArgumentList.Add("127.0.0.1");
        start.ArgumentList.Add($"--{service}Port");
        start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
    }

    private static string? FindScript(string contentRoot)
    {
        foreach (var start in new[] { contentRoot, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "node_modules", "azurite", "dist", "src", "azurite.js");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static int Port(IConfiguration configuration, string key)
    {
        var configured = configuration[key];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return FreeTcpPort();
        }

        return int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"{key} is '{configured}'; expected a TCP port number.");
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(Process process, int port, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the process exited with code {process.ExitCode}.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet; poll again shortly.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"port {port} was not open after {StartTimeout.TotalSeconds:0} s.");
            }

            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"port {port} was not open after {StartTimeout.TotalSeconds:0} s.");
            }
        }
    }
}
