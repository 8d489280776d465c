using System.Diagnostics;
using System.Text;

namespace Telephony.Testing;

/// <summary>
/// A real Azurite (the pinned npm package in the repository's node_modules) on free loopback ports,
/// in-memory, owned by this process and stopped on dispose. When TELEPHONY_TEST_STORAGE is set
/// (./test.sh starts one Azurite for the whole run), that instance is used instead and nothing is started.
/// A persistent instance (<see cref="StartPersistentAsync"/>) keeps its data in a folder and can be stopped
/// and started again on the same ports, for storage-outage tests.
/// </summary>
public sealed class AzuriteInstance : IAsyncDisposable
{
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string? _script;
    private readonly string? _dataFolder;
    private int[] _ports = [0, 0, 0];
    private Process? _process;

    private AzuriteInstance(string connectionString)
    {
        ConnectionString = connectionString;
    }

    private AzuriteInstance(string script, string? dataFolder)
    {
        ConnectionString = string.Empty;
        _script = script;
        _dataFolder = dataFolder;
    }

    public string ConnectionString { get; private set; }

    /// <summary>True while the Azurite process runs (false between <see cref="StopAsync"/> and <see cref="RestartAsync"/>).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The Azurite process this instance started (null for a shared one), for benches that measure its CPU.</summary>
    public int? Pid => _process?.Id;

    public static string BuildConnectionString(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    /// <summary>
    /// <paramref name="connectionString"/> (with explicit endpoints, as <see cref="BuildConnectionString"/> makes) with
    /// the endpoint of <paramref name="service"/> ("Blob", "Queue" or "Table") moved to a closed loopback port: clients
    /// built from it reach the other services but never that one, like a writer that dies before its step there.
    /// </summary>
    public static string WithUnreachable(string connectionString, string service)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        var closed = $"{service}Endpoint=http://127.0.0.1:{FreePorts.Tcp()}/{AccountName};";
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries);
        var index = Array.FindIndex(parts, p => p.StartsWith(service + "Endpoint=", StringComparison.Ordinal));
        if (index < 0)
        {
            throw new ArgumentException($"no {service}Endpoint in the connection string", nameof(connectionString));
        }

        parts[index] = closed.TrimEnd(';');
        return string.Join(';', parts) + ";";
    }

    public static Task<AzuriteInstance> StartAsync(CancellationToken cancellationToken = default) => StartAsync(useShared: true, cancellationToken);

    /// <summary>With <paramref name="useShared"/> false, always starts a private instance (for tests that read fixed queue names).</summary>
    public static async Task<AzuriteInstance> StartAsync(bool useShared, CancellationToken cancellationToken = default)
    {
        var shared = useShared ? Environment.GetEnvironmentVariable("TELEPHONY_TEST_STORAGE") : null;
        if (!string.IsNullOrWhiteSpace(shared))
        {
            return new AzuriteInstance(shared);
        }

        return await LaunchAsync(dataFolder: null, cancellationToken);
    }

    /// <summary>A private Azurite that keeps its data in a temporary folder (deleted on dispose), so it survives <see cref="StopAsync"/> and <see cref="RestartAsync"/>.</summary>
    public static Task<AzuriteInstance> StartPersistentAsync(CancellationToken cancellationToken = default) =>
        LaunchAsync(Directory.CreateTempSubdirectory("azurite-").FullName, cancellationToken);

    private static async Task<AzuriteInstance> LaunchAsync(string? dataFolder, CancellationToken cancellationToken)
    {
        var script = RepoPaths.Combine("node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException("Azurite is not installed: run `npm ci` in the repository root (./test.sh does).");
        }

        var instance = new AzuriteInstance(script, dataFolder);
        try
        {
            await instance.RunAsync(cancellationToken);
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }

        return instance;
    }

    /// <summary>
    /// Starts Azurite on <see cref="_ports"/>: port 0 the first time, so Azurite binds free ports itself and says which
    /// (ports picked here and bound later could be taken by a parallel test's Azurite in between); the same ports on a
    /// restart.
    /// </summary>
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ExternalTool.Require("node", "nodejs"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] persistence = _dataFolder is null ? ["--inMemoryPersistence"] : ["--location", _dataFolder];
        string[] services = ["blob", "queue", "table"];
        foreach (var arg in new[] { _script!, "--silent" }.Concat(persistence).Concat(["--skipApiVersionCheck", "--disableTelemetry", "--loose"]))
        {
            start.ArgumentList.Add(arg);
        }

        for (var i = 0; i < services.Length; i++)
        {
            start.ArgumentList.Add($"--{services[i]}Host");
            start.ArgumentList.Add("127.0.0.1");
            start.ArgumentList.Add($"--{services[i]}Port");
            start.ArgumentList.Add(_ports[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var listening = new ListeningPorts(services);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start Azurite");
        process.OutputDataReceived += (_, e) => listening.Read(e.Data);
        process.ErrorDataReceived += (_, e) => listening.Read(e.Data);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => listening.Exited();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        if (process.HasExited)
        {
            listening.Exited();
        }

        // Generous: a private instance starting while the whole suite runs on two cores can take well over 30 s.
        _ports = await listening.Ports.WaitAsync(TimeSpan.FromSeconds(120), cancellationToken);
        ConnectionString = BuildConnectionString(_ports[0], _ports[1], _ports[2]);
    }

    /// <summary>
    /// Stops a persistent instance the way an operator would (SIGTERM: Azurite saves its data and closes its ports);
    /// storage is unreachable until <see cref="RestartAsync"/>.
    /// </summary>
    public async Task StopAsync()
    {
        if (_dataFolder is null || _process is not { } process)
        {
            throw new InvalidOperationException("only a persistent Azurite started by this instance can be stopped and restarted");
        }

        using (var kill = Process.Start(ExternalTool.Require("kill", "procps"), ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    /// <summary>Starts a stopped persistent instance again on the same ports with the same data.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) =>
        _dataFolder is not null && _process is null
            ? RunAsync(cancellationToken)
            : throw new InvalidOperationException("stop the persistent Azurite before restarting it");

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        if (_dataFolder is not null && Directory.Exists(_dataFolder))
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
    }

    private async Task StopProcessAsync()
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

/// <summary>Reads Azurite's output until each service says where it listens ("… service is successfully listening at http://127.0.0.1:PORT").</summary>
internal sealed class ListeningPorts(string[] services)
{
    private readonly int[] _ports = new int[services.Length];
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    public TaskCompletionSource<int[]> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<int[]> Ports => Completion.Task;

    public void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
            for (var i = 0; i < services.Length; i++)
            {
                var marker = $"{services[i]} service is successfully listening at http://127.0.0.1:";
                var at = line.IndexOf(marker, StringComparison.OrdinalIgnoreCase);
                if (at >= 0 && int.TryParse(line.AsSpan(at + marker.Length).TrimEnd('/'), out var port))
                {
                    _ports[i] = port;
                }
            }

            if (_ports.All(p => p > 0))
            {
                Completion.TrySetResult([.. _ports]);
            }
        }
    }

    public void Exited()
    {
        lock (_gate)
        {
            Completion.TrySetException(new InvalidOperationException("Azurite exited before it listened:\n" + _output));
        }
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
