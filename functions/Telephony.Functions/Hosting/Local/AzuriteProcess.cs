using System.Diagnostics;

namespace Telephony.Functions.Hosting.Local;

/// <summary>An Azurite this program started; disposing stops it (only it).</summary>
internal sealed class AzuriteProcess : IAsyncDisposable
{
    private readonly Process _process;
    private int _disposed;

    public AzuriteProcess(Process process, string connectionString)
    {
        _process = process;
        ConnectionString = connectionString;
        // Last resort if the host never disposes us (e.g. startup fails after Azurite started).
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public string ConnectionString { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => Volatile.Read(ref _disposed) == 1 || _process.HasExited;

    /// <summary>Stops Azurite; safe to call more than once (the host and the container may both do so).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Stop();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Stop();

    private void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
