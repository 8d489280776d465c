using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Telephony.Core.Storage;
using Telephony.Testing;
using Telephony.Testing.Otlp;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// The whole platform on loopback: a private Azurite, the functions program (API + admit-calls) as a child
/// process, the media node hosted in-process, a far end answering on a trunk, a failing first trunk, and a
/// tenant application server. One tenant account is created through the API. Both programs export their
/// telemetry over OTLP to <see cref="Telemetry"/>.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public const string AdminKey = "media-node-tests-admin";
    public const string NodeId = "node-under-test";

    /// <summary>A trunk with one channel (numbers starting 1557, to <see cref="FarEnd"/>).</summary>
    public const string NarrowTrunk = "narrow";
    public const string NodeKey = "media-node-tests-node-key";

    /// <summary>The platform key both programs share, so API keys made through the API can sign client AccessTokens.</summary>
    public const string SecretsKey = "media-node-tests-secrets-key";
    private AzuriteInstance? _azurite;
    private FunctionsProcess? _functions;
    private WebApplication? _node;

    public FarEnd FarEnd { get; } = new();

    /// <summary>The first trunk for +1666 numbers; it answers every INVITE with 503.</summary>
    public FarEnd FailingTrunk { get; } = new();

    public TenantAppServer App { get; } = new();

    /// <summary>The OTLP collector both the functions program and the node export traces and metrics to.</summary>
    public OtlpCollector Telemetry { get; } = new();

    public StorageClients Storage { get; private set; } = null!;

    public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("not started");

    public HttpClient Api { get; private set; } = null!;

    public string AccountSid { get; private set; } = string.Empty;

    public string NodeUrl { get; private set; } = string.Empty;

    /// <summary>The node's SIP ports on 127.0.0.1 (clients register here).</summary>
    public int NodeSipUdpPort { get; } = FreePorts.Udp();

    public int NodeSipTcpPort { get; } = FreePorts.Tcp();

    public string FunctionsLog => _functions?.Log ?? string.Empty;

    /// <summary>The tenant's auth token (X-Twilio-Signature key).</summary>
    public string AuthToken { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteInstance.StartAsync(useShared: false);
        Storage = new StorageClients(_azurite.ConnectionString);
        _functions = await FunctionsProcess.StartAsync(_azurite.ConnectionString, AdminKey, NodeKey, SecretsKey, Telemetry.ExporterSettings);

        // The node gets programs and prompts from the functions' node endpoints, as in production.
        var nodePort = FreePorts.Tcp();
        NodeUrl = $"http://127.0.0.1:{nodePort}";
        _node = MediaNodeApp.Build([], NodeSettings(_azurite.ConnectionString, nodePort, _functions.BaseUrl));
        await _node.StartAsync();

        Api = new HttpClient { BaseAddress = new Uri(_functions.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        (AccountSid, AuthToken) = await CreateTenantAsync(Api, AdminKey);
    }

    private Dictionary<string, string?> NodeSettings(string storage, int nodePort, string functionsUrl)
    {
        FailingTrunk.Set("+16660000001", FarEndBehavior.Unavailable);
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{nodePort}",
            ["AzureWebJobsStorage"] = storage,
            ["Telephony:Node:Id"] = NodeId,
            ["Telephony:NodeKey"] = NodeKey,
            ["Telephony:Node:FunctionsUrl"] = functionsUrl,
            ["Telephony:Node:SipListen:0"] = $"udp:127.0.0.1:{NodeSipUdpPort}",
            ["Telephony:Node:SipListen:1"] = $"tcp:127.0.0.1:{NodeSipTcpPort}",
            ["Telephony:SecretsKey"] = SecretsKey,
            ["Telephony:Node:RtpPortMin"] = "44000",
            ["Telephony:Node:RtpPortMax"] = "45998",
            ["Telephony:Node:MaxConcurrentCalls"] = "8",
            ["Telephony:Node:AllowInternalAddresses"] = "true",
            ["Telephony:Node:DispatchPollInterval"] = "00:00:00.200",
            ["Telephony:Node:ControlPollInterval"] = "00:00:00.100",
            ["Telephony:Node:HeartbeatInterval"] = "00:00:01",
            ["Telephony:Node:Trunks:0:Name"] = "failing",
            ["Telephony:Node:Trunks:0:Uri"] = $"sip:127.0.0.1:{FailingTrunk.Port}",
            ["Telephony:Node:Trunks:0:Prefixes:0"] = "1666",
            ["Telephony:Node:Trunks:1:Name"] = "far",
            ["Telephony:Node:Trunks:1:Uri"] = $"sip:127.0.0.1:{FarEnd.Port}",
            ["Telephony:Node:Trunks:1:Prefixes:0"] = "1555",
            ["Telephony:Node:Trunks:1:Prefixes:1"] = "1666",
            ["Telephony:Node:Trunks:2:Name"] = NarrowTrunk,
            ["Telephony:Node:Trunks:2:Uri"] = $"sip:127.0.0.1:{FarEnd.Port}",
            ["Telephony:Node:Trunks:2:Prefixes:0"] = "1557",
            ["Telephony:Node:Trunks:2:MaxChannels"] = "1",
        };
        foreach (var (name, value) in Telemetry.ExporterSettings)
        {
            settings[name] = value;
        }

        return settings;
    }

    /// <summary>Creates a tenant through the admin API with 50 calls/s, and makes <paramref name="api"/> authenticate as it; returns its sid and auth token.</summary>
    /// <remarks>These tests are about calls, not pacing: 50 calls/s lifts the default 1 call/s so tests never wait on release slots.</remarks>
    public static Task<(string Sid, string AuthToken)> CreateTenantAsync(HttpClient api, string adminKey) =>
        PlatformAdmin.CreateTenantAsync(api, adminKey, callsPerSecond: 50, friendlyName: "media node tests");

    /// <summary>
    /// A second media node in this process with <paramref name="maxCalls"/> slots, no trunks and its own SIP port,
    /// sharing storage and the functions app (for capacity tests). The caller stops and disposes it.
    /// </summary>
    /// <param name="extra">More settings (e.g. <c>Telephony:SecretsKey</c> for a node that registers clients).</param>
    public async Task<(WebApplication Node, int SipPort)> StartExtraNodeAsync(string id, int maxCalls, int rtpPortMin, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var sipPort = FreePorts.Udp();
        var httpPort = FreePorts.Tcp();
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{httpPort}",
            ["AzureWebJobsStorage"] = ConnectionString,
            ["Telephony:Node:Id"] = id,
            ["Telephony:NodeKey"] = NodeKey,
            ["Telephony:Node:FunctionsUrl"] = _functions!.BaseUrl,
            ["Telephony:Node:SipListen:0"] = $"udp:127.0.0.1:{sipPort}",
            ["Telephony:Node:RtpPortMin"] = rtpPortMin.ToString(CultureInfo.InvariantCulture),
            ["Telephony:Node:RtpPortMax"] = (rtpPortMin + 998).ToString(CultureInfo.InvariantCulture),
            ["Telephony:Node:MaxConcurrentCalls"] = maxCalls.ToString(CultureInfo.InvariantCulture),
            ["Telephony:Node:AllowInternalAddresses"] = "true",
            ["Telephony:Node:ControlPollInterval"] = "00:00:00.100",
            ["Telephony:Node:HeartbeatInterval"] = "00:00:01",
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[name] = value;
        }

        var node = MediaNodeApp.Build([], settings);
        await node.StartAsync();
        return (node, sipPort);
    }

    /// <summary>
    /// Puts <paramref name="number"/> in the operator's inventory and buys it for the tenant through the API with
    /// the given IncomingPhoneNumbers fields (VoiceUrl, StatusCallback…); returns the PN sid.
    /// </summary>
    public Task<string> BuyNumberAsync(string number, params (string Name, string Value)[] fields) =>
        PlatformAdmin.BuyNumberAsync(Api, AdminKey, AccountSid, number, fields);

    /// <summary>Creates a call through the REST API; returns its sid. A null <paramref name="path"/> sends no Url (pass Twiml).</summary>
    public async Task<string> CreateCallAsync(string to, string? path, params (string Name, string Value)[] extra)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", to), new("From", "+15557654321") };
        if (path is not null)
        {
            form.Add(new("Url", App.Url(path)));
        }

        form.AddRange(extra.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)));
        var json = await JsonAsync(await Api.PostAsync($"/2010-04-01/Accounts/{AccountSid}/Calls.json", new FormUrlEncodedContent(form)), 201);
        return json.GetProperty("sid").GetString()!;
    }

    public async Task<JsonElement> UpdateCallAsync(string callSid, params (string Name, string Value)[] form) =>
        await JsonAsync(await Api.PostAsync(
            $"/2010-04-01/Accounts/{AccountSid}/Calls/{callSid}.json",
            new FormUrlEncodedContent(form.Select(e => new KeyValuePair<string, string>(e.Name, e.Value)))), 200);

    public async Task<JsonElement> GetCallAsync(string callSid) =>
        await JsonAsync(await Api.GetAsync($"/2010-04-01/Accounts/{AccountSid}/Calls/{callSid}.json"), 200);

    /// <summary>Polls the call through the API until its status is one of <paramref name="statuses"/>.</summary>
    public async Task<JsonElement> WaitForStatusAsync(string callSid, TimeSpan timeout, params string[] statuses)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var last = "none";
        while (true)
        {
            var call = await GetCallAsync(callSid);
            last = call.GetProperty("status").GetString()!;
            if (statuses.Contains(last))
            {
                return call;
            }

            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"call {callSid} still '{last}' after {timeout}; wanted {string.Join("/", statuses)}");
            }
        }
    }

    public static int Int(JsonElement json, string name) =>
        json.GetProperty(name).ValueKind == JsonValueKind.String
            ? int.Parse(json.GetProperty(name).GetString()!, CultureInfo.InvariantCulture)
            : json.GetProperty(name).GetInt32();

    /// <summary>Creates another tenant through the admin API; returns its sid and auth token.</summary>
    public async Task<(string Sid, string AuthToken)> CreateOtherTenantAsync(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2010-04-01/Accounts.json")
        {
            Content = new FormUrlEncodedContent([new("FriendlyName", name)]),
        };
        request.Headers.Authorization = Basic("admin", AdminKey);
        var json = await JsonAsync(await Api.SendAsync(request), 201);
        return (json.GetProperty("sid").GetString()!, json.GetProperty("auth_token").GetString()!);
    }

    public static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret)));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.StopAsync();
            await _node.DisposeAsync();
        }

        if (_functions is not null)
        {
            await _functions.DisposeAsync();
        }

        Api?.Dispose();
        await FarEnd.DisposeAsync();
        await FailingTrunk.DisposeAsync();
        await App.DisposeAsync();
        await Telemetry.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
