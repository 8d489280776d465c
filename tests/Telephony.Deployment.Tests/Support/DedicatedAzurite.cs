using System.Diagnostics;
using System.Globalization;
using Telephony.Testing;

namespace Telephony.Deployment.Tests.Support;

/// <summary>
/// An in-memory Azurite owned by one fixture even when ./test.sh shares one (TELEPHONY_TEST_STORAGE):
/// the packaged handler writes to fixed queue names (dispatch), which other test assemblies may read.
/// </summary>
public sealed class DedicatedAzurite : IAsyncDisposable
{
    private readonly Process _process;

    private DedicatedAzurite(Process process, string connectionString)
    {
        _process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<DedicatedAzurite> StartAsync()
    {
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
        foreach (var argument in new[]
        {
            script, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", Port(blob),
            "--queueHost", "127.0.0.1", "--queuePort", Port(queue),
            "--tableHost", "127.0.0.1", "--tablePort", Port(table),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start Azurite");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new DedicatedAzurite(process, AzuriteInstance.BuildConnectionString(blob, queue, table));
        try
        {
            foreach (var port in new[] { blob, queue, table })
            {
                await FreePorts.WaitForTcpAsync(port, TimeSpan.FromSeconds(60));
            }
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }

        return azurite;
    }

    public async ValueTask DisposeAsync()
    {
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

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
