using System.Diagnostics;

namespace Telephony.Testing;

/// <summary>
/// A real Azurite (the pinned npm package in the repository's node_modules) on free loopback ports,
/// in-memory, owned by this process and stopped on dispose. When TELEPHONY_TEST_STORAGE is set
/// (./test.sh starts one Azurite for the whole run), that instance is used instead and nothing is started.
/// </summary>
public sealed class AzuriteInstance : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process? _process;

    private AzuriteInstance(string connectionString, Process? process)
    {
        ConnectionString = connectionString;
        _process = process;
    }

    public string ConnectionString { get; }

    public static string BuildConnectionString(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    public static Task<AzuriteInstance> StartAsync(CancellationToken cancellationToken = default) => StartAsync(useShared: true, cancellationToken);

    /// <summary>With <paramref name="useShared"/> false, always starts a private instance (for tests that read fixed queue names).</summary>
    public static async Task<AzuriteInstance> StartAsync(bool useShared, CancellationToken cancellationToken = default)
    {
        var shared = useShared ? Environment.GetEnvironmentVariable("TELEPHONY_TEST_STORAGE") : null;
        if (!string.IsNullOrWhiteSpace(shared))
        {
            return new AzuriteInstance(shared, process: null);
        }

        var script = RepoPaths.Combine("node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException("Azurite is not installed: run `npm ci` in the repository root (./test.sh does).");
        }

        int blob = FreePorts.Tcp(), queue = FreePorts.Tcp(), table = FreePorts.Tcp();
        var start = new ProcessStartInfo(ExternalTool.Require("node", "nodejs"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            script, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start Azurite");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var instance = new AzuriteInstance(BuildConnectionString(blob, queue, table), process);
        try
        {
            foreach (var port in new[] { blob, queue, table })
            {
                await FreePorts.WaitForTcpAsync(port, TimeSpan.FromSeconds(30), cancellationToken);
            }
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }

        return instance;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

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
}

/// <summary>xunit fixture: one Azurite per test class or collection that asks for it.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteInstance? _instance;

    public string ConnectionString => _instance?.ConnectionString ?? throw new InvalidOperationException("Azurite not started");

    public async Task InitializeAsync() => _instance = await AzuriteInstance.StartAsync();

    public async Task DisposeAsync()
    {
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }
    }
}
