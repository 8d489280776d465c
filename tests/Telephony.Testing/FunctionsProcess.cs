using System.Diagnostics;
using System.Globalization;

namespace Telephony.Testing;

/// <summary>
/// The functions program as a child process in local host mode (as run.sh starts it): the REST API plus
/// admit-calls moving call requests to the dispatch queue, on the given storage.
/// </summary>
public sealed class FunctionsProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();

    private FunctionsProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <param name="environment">More environment variables (e.g. the OTLP exporter's settings).</param>
    /// <param name="arguments">More command-line settings; a setting given here wins over the defaults above it.</param>
    /// <param name="port">The HTTP port, when the caller must know it before the start (e.g. to tell nodes the program starts).</param>
    public static async Task<FunctionsProcess> StartAsync(
        string storage,
        string adminKey,
        string nodeKey,
        string? secretsKey = null,
        IReadOnlyDictionary<string, string>? environment = null,
        IEnumerable<string>? arguments = null,
        int? port = null)
    {
        var httpPort = port ?? FreePorts.Tcp();
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in new[]
        {
            FunctionsAssembly(), "--urls", $"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}",
            "--Telephony:HostMode", "Local", "--Telephony:FunctionApp:HostJson", RepoPaths.Combine("host.json"),
            "--Telephony:Api:RequestsPerSecond", "100000", "--Telephony:Api:Burst", "100000",
        }.Concat(arguments ?? []))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["AzureWebJobsStorage"] = storage;
        start.Environment["Telephony__AdminKey"] = adminKey;
        start.Environment["Telephony__NodeKey"] = nodeKey;
        if (secretsKey is not null)
        {
            start.Environment["Telephony__SecretsKey"] = secretsKey;
        }

        start.Environment.Remove("FUNCTIONS_CUSTOMHANDLER_PORT");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the functions program");
        var functions = new FunctionsProcess(process, httpPort);
        process.OutputDataReceived += (_, e) => functions.Append(e.Data);
        process.ErrorDataReceived += (_, e) => functions.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await FreePorts.WaitForTcpAsync(httpPort, TimeSpan.FromSeconds(60));
        }
        catch
        {
            await functions.DisposeAsync();
            throw new InvalidOperationException("the functions program did not start:\n" + functions.Log);
        }

        return functions;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    /// <summary>The functions program built next to this test assembly's configuration (Debug or Release).</summary>
    private static string FunctionsAssembly()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = RepoPaths.Combine("functions", "Telephony.Functions", "bin", configuration, "net10.0", "Telephony.Functions.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("build the functions program first", path);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
