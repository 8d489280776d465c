using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests.Scenarios;

/// <summary>
/// The platform as run.sh would run it with the allocator on, all on loopback: a private Azurite, the functions
/// program in local host mode with <c>Telephony:Capacity:Provisioner=Local</c> (so allocate-nodes starts and stops
/// real media-node processes on their own ports) and sipp answering every call on the nodes' only trunk.
/// analyze-capacity runs every second and allocate-nodes every 2 s (a copied function app, <see cref="FunctionAppCopy"/>);
/// the capacity settings are the caller's. Disposing stops sipp, the functions program and every node process
/// it started, each by its process id.
/// </summary>
public sealed partial class AutoscalePlatform : IAsyncDisposable
{
    public const string AdminKey = "autoscale-tests-admin";
    private const string NodeKey = "autoscale-tests-node-key";

    private readonly AzuriteInstance _azurite;
    private readonly FunctionAppCopy _app;
    private readonly FunctionsProcess _functions;
    private readonly Task<SippResult> _sipp;
    private readonly int _sippPid;

    private AutoscalePlatform(AzuriteInstance azurite, FunctionAppCopy app, FunctionsProcess functions, Task<SippResult> sipp, int sippPid)
    {
        _azurite = azurite;
        _app = app;
        _functions = functions;
        _sipp = sipp;
        _sippPid = sippPid;
        Admin = new HttpClient { BaseAddress = new Uri(functions.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = PlatformFixture.Basic("admin", AdminKey);
    }

    /// <summary>An API client authenticated as the operator.</summary>
    public HttpClient Admin { get; }

    public string BaseUrl => _functions.BaseUrl;

    public string FunctionsLog => _functions.Log;

    /// <summary>sipp's outcome; it exits after answering the number of calls it was started for.</summary>
    public Task<SippResult> Sipp => _sipp;

    /// <param name="nodeSettings">Media-node settings (without <c>Telephony:Node:</c>) every started node gets.</param>
    /// <param name="capacitySettings">Settings under <c>Telephony:Capacity:</c> (the provisioner is set here).</param>
    /// <param name="sippCalls">sipp exits 0 once it has answered this many calls to their BYE.</param>
    public static async Task<AutoscalePlatform> StartAsync(
        IReadOnlyDictionary<string, string> nodeSettings, IReadOnlyDictionary<string, string> capacitySettings, int sippCalls, TimeSpan sippTimeout)
    {
        ArgumentNullException.ThrowIfNull(nodeSettings);
        ArgumentNullException.ThrowIfNull(capacitySettings);
        var azurite = await AzuriteInstance.StartAsync(useShared: false);
        var app = FunctionAppCopy.Create(new Dictionary<string, string>
        {
            ["analyze-capacity"] = "* * * * * *",
            ["allocate-nodes"] = "*/2 * * * * *",
        });

        var sippPort = FreePorts.Udp();
        var sippStarted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sipp = SippRunner.RunAsync(
            ["-sf", RepoPaths.Combine("tests", "Telephony.MediaNode.Tests", "Scenarios", "uas_answer_until_bye.xml"),
             "-i", "127.0.0.1", "-p", Text(sippPort), "-mp", Text(FreePorts.Udp()), "-m", Text(sippCalls)],
            sippTimeout,
            pid => sippStarted.TrySetResult(pid));
        var sippPid = await sippStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var port = FreePorts.Tcp();
        var arguments = new List<string> { "--Telephony:FunctionApp:HostJson", app.HostJsonPath, "--Telephony:Capacity:Provisioner=Local" };
        arguments.AddRange(capacitySettings.Select(s => $"--Telephony:Capacity:{s.Key}={s.Value}"));
        var node = new Dictionary<string, string>(nodeSettings)
        {
            ["Id"] = "{id}",
            ["SipListen:0"] = "udp:127.0.0.1:{sipPort}",
            ["FunctionsUrl"] = $"http://127.0.0.1:{Text(port)}",
            ["AllowInternalAddresses"] = "true",
            ["Trunks:0:Name"] = "sipp",
            ["Trunks:0:Uri"] = $"sip:127.0.0.1:{Text(sippPort)}",
        };
        string[] command = [NodeProcess.NodeAssembly(), "--urls=http://127.0.0.1:{httpPort}", .. node.Select(s => $"--Telephony:Node:{s.Key}={s.Value}")];
        arguments.Add("--Telephony:Capacity:Local:Command=dotnet");
        arguments.AddRange(command.Select((a, i) => $"--Telephony:Capacity:Local:Arguments:{Text(i)}={a}"));

        FunctionsProcess functions;
        try
        {
            // Timestamped log lines (the node processes inherit the setting) so a slow dispatch can be traced.
            var environment = new Dictionary<string, string>
            {
                ["Logging__Console__FormatterName"] = "simple",
                ["Logging__Console__FormatterOptions__SingleLine"] = "true",
                ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            };
            functions = await FunctionsProcess.StartAsync(azurite.ConnectionString, AdminKey, NodeKey, environment: environment, arguments: arguments, port: port);
        }
        catch
        {
            StopById(sippPid, "sipp");
            await sipp;
            app.Dispose();
            await azurite.DisposeAsync();
            throw;
        }

        return new AutoscalePlatform(azurite, app, functions, sipp, sippPid);
    }

    /// <summary>Creates a tenant through the admin API with the given calls per second (null keeps Twilio's default of 1).</summary>
    public async Task<(string Sid, HttpClient Api)> CreateTenantAsync(string name, int? callsPerSecond)
    {
        using var create = await Admin.PostAsync("/2010-04-01/Accounts.json", new FormUrlEncodedContent([new("FriendlyName", name)]));
        var json = await PlatformFixture.JsonAsync(create, 201);
        var sid = json.GetProperty("sid").GetString()!;
        if (callsPerSecond is { } cps)
        {
            using var limits = await Admin.PostAsync($"/v1/Accounts/{sid}/Limits", new FormUrlEncodedContent([new("CallsPerSecond", Text(cps))]));
            await PlatformFixture.JsonAsync(limits, 200);
        }

        var api = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        api.DefaultRequestHeaders.Authorization = PlatformFixture.Basic(sid, json.GetProperty("auth_token").GetString()!);
        return (sid, api);
    }

    /// <summary>The operator's node list (<c>GET /v1/Nodes</c>): id and state of each node with a heartbeat row.</summary>
    public async Task<IReadOnlyList<(string Id, string State, int ActiveCalls)>> NodesAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Admin.GetAsync("/v1/Nodes", cancellationToken);
        var json = await PlatformFixture.JsonAsync(response, 200);
        return [.. json.GetProperty("nodes").EnumerateArray().Select(n => (
            n.GetProperty("id").GetString()!, n.GetProperty("state").GetString()!, n.GetProperty("active_calls").GetInt32()))];
    }

    /// <summary>The log lines of the functions program and its nodes that mention <paramref name="text"/> (a call sid, say), HTTP request lines left out.</summary>
    public IEnumerable<string> LogLinesWith(string text) =>
        _functions.Log.Split('\n').Where(line => line.Contains(text, StringComparison.Ordinal) && !line.Contains("Microsoft.AspNetCore.", StringComparison.Ordinal));

    /// <summary>Node processes the local provisioner reported starting (from the functions program's log).</summary>
    public IReadOnlyList<(string NodeId, int Pid)> StartedNodes() =>
        [.. StartedNode().Matches(_functions.Log).Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))];

    public async ValueTask DisposeAsync()
    {
        var nodes = StartedNodes();
        Admin.Dispose();
        if (!_sipp.IsCompleted)
        {
            StopById(_sippPid, "sipp");
        }

        await _sipp;

        // Killing the functions program takes its process tree (the node processes) with it; any node that
        // outlived that (re-parented, say) is stopped by its own id — only if that id still runs that node.
        await _functions.DisposeAsync();
        foreach (var (nodeId, pid) in nodes)
        {
            StopById(pid, nodeId);
        }

        _app.Dispose();
        await _azurite.DisposeAsync();
    }

    /// <summary>Kills process <paramref name="pid"/> if its command line still contains <paramref name="mark"/> (a reused id is left alone).</summary>
    private static void StopById(int pid, string mark)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            var commandLine = File.ReadAllText($"/proc/{Text(pid)}/cmdline");
            if (!process.HasExited && commandLine.Contains(mark, StringComparison.Ordinal))
            {
                process.Kill(entireProcessTree: false);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (ArgumentException)
        {
            // Already gone.
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Exited while we looked.
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Started local node (\S+) \(pid (\d+)")]
    private static partial Regex StartedNode();
}
