using System.Globalization;
using Telephony.Testing;

/// <summary>
/// The whole platform on loopback for figures (a) and (b), each part its own process so its CPU can be read: a private
/// Azurite, the functions program in local host mode, one media node (the built program), a tenant app server
/// answering a fixed program (<c>&lt;Say&gt;hi&lt;/Say&gt;&lt;Hangup/&gt;</c> unless told) and serving the audio files it
/// plays, and a number bought through the API pointing at it.
/// </summary>
internal sealed class LoopbackPlatform : IAsyncDisposable
{
    public const string Number = "+15550001000";
    public const string Twiml = "<Response><Say>hi</Say><Hangup/></Response>";
    private const string AdminKey = "node-bench-admin";
    private const string NodeKey = "node-bench-node-key";

    private AzuriteInstance? _azurite;
    private FunctionsProcess? _functions;
    private NodeProcess? _node;
    private HttpClient? _api;

    public LoopbackWebhookServer App { get; } = new();

    public int NodeSipPort { get; } = FreePorts.Udp();

    public int AzuritePid => _azurite?.Pid ?? throw new InvalidOperationException("not started");

    public string StorageConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("not started");

    public int FunctionsPid => _functions?.Pid ?? throw new InvalidOperationException("not started");

    public int NodePid => _node?.Pid ?? throw new InvalidOperationException("not started");

    public string NodeLog => _node?.Log ?? string.Empty;

    public string FunctionsLog => _functions?.Log ?? string.Empty;

    /// <param name="nodeSettings">More node settings (Telephony:Node:… keys), to compare a setting on and off.</param>
    /// <param name="twiml">The program the app answers every call with.</param>
    /// <param name="audio">WAV files the app serves (path such as <c>/tone.wav</c> → bytes), for the program's &lt;Play&gt;.</param>
    public static async Task<LoopbackPlatform> StartAsync(
        int maxCalls, string nodeLogLevel, IReadOnlyDictionary<string, string> nodeSettings, string twiml = Twiml, IReadOnlyDictionary<string, byte[]>? audio = null)
    {
        var platform = new LoopbackPlatform();
        try
        {
            foreach (var (path, wav) in audio ?? new Dictionary<string, byte[]>())
            {
                platform.App.Map(path, _ => new WebhookAnswer(200, "audio/wav", wav));
            }

            platform.App.Map("/voice", _ => WebhookAnswer.Xml(twiml));
            await platform.RunAsync(maxCalls, nodeLogLevel, nodeSettings);
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }

        return platform;
    }

    private async Task RunAsync(int maxCalls, string nodeLogLevel, IReadOnlyDictionary<string, string> nodeSettings)
    {
        _azurite = await AzuriteInstance.StartAsync(useShared: false);
        _functions = await FunctionsProcess.StartAsync(_azurite.ConnectionString, AdminKey, NodeKey);
        _api = new HttpClient { BaseAddress = new Uri(_functions.BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
        var (accountSid, _) = await PlatformAdmin.CreateTenantAsync(_api, AdminKey, callsPerSecond: 1000, friendlyName: "node bench", maxConcurrentCalls: maxCalls);
        await PlatformAdmin.BuyNumberAsync(_api, AdminKey, accountSid, Number, ("VoiceUrl", App.Url("/voice")));

        var httpPort = FreePorts.Tcp();
        var settings = new Dictionary<string, string>
        {
            ["urls"] = $"http://127.0.0.1:{httpPort}",
            ["Telephony:Node:Id"] = "node-bench",
            ["Telephony:NodeKey"] = NodeKey,
            ["Telephony:Node:FunctionsUrl"] = _functions.BaseUrl,
            ["Telephony:Node:SipListen:0"] = $"udp:127.0.0.1:{NodeSipPort}",
            ["Telephony:Node:RtpPortMin"] = "40000",
            ["Telephony:Node:RtpPortMax"] = "59998",
            ["Telephony:Node:MaxConcurrentCalls"] = maxCalls.ToString(CultureInfo.InvariantCulture),
            ["Telephony:Node:AllowInternalAddresses"] = "true",
            ["Logging:LogLevel:Default"] = nodeLogLevel,
        };
        foreach (var (key, value) in nodeSettings)
        {
            settings[key] = value;
        }

        _node = NodeProcess.Start(_azurite.ConnectionString, settings);
        await WaitHealthyAsync($"http://127.0.0.1:{httpPort}/healthz", TimeSpan.FromSeconds(120));
    }

    private async Task WaitHealthyAsync(string url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(url, deadline.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (!_node!.HasExited)
            {
                // not listening yet
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException("the media node did not become healthy:\n" + NodeLog);
            }

            if (_node!.HasExited)
            {
                throw new InvalidOperationException("the media node exited:\n" + NodeLog);
            }

            await Task.Delay(200, deadline.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        if (_functions is not null)
        {
            await _functions.DisposeAsync();
        }

        _api?.Dispose();
        await App.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
