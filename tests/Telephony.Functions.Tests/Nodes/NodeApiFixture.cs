using System.Net.Http.Headers;
using Telephony.Core.Storage;
using Telephony.Functions.Tests.Api;
using Telephony.Functions.Tests.Hosting;

namespace Telephony.Functions.Tests.Nodes;

/// <summary>
/// The functions program in ApiOnly mode on real Kestrel over a private Azurite, with a node key and loopback
/// tenant URLs allowed, plus helpers for tenants, calls and node clients.
/// </summary>
public sealed class NodeApiFixture : IAsyncLifetime, IDisposable
{
    public const string NodeKey = "node-test-key-0123456789";
    private readonly PrivateAzurite _azurite = new();
    private FunctionsAppFactory? _app;

    public FunctionsAppFactory App => _app ?? throw new InvalidOperationException("not started");

    public StorageClients Storage { get; private set; } = null!;

    public string ConnectionString => _azurite.ConnectionString;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Storage = new StorageClients(_azurite.ConnectionString);
        _app = new FunctionsAppFactory(Settings(_azurite.ConnectionString), kestrel: true);
        _app.StartServer();
    }

    public static Dictionary<string, string?> Settings(string connectionString)
    {
        var settings = ApiFixture.Settings(connectionString);
        settings["Telephony:NodeKey"] = NodeKey;
        settings["Telephony:Nodes:AllowInternalAddresses"] = "true";
        return settings;
    }

    /// <summary>A client of the program as a node: base address set, bearer node key (or <paramref name="key"/>).</summary>
    public HttpClient Node(string? key = NodeKey)
    {
        var client = App.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public async Task<Tenant> CreateTenantAsync()
    {
        using var admin = ApiFixture.WithBasic(App.CreateClient(), "admin", ApiFixture.AdminKey);
        var json = await ApiFixture.Json(await admin.PostAsync("/2010-04-01/Accounts.json", ApiFixture.Form(("FriendlyName", "node tests"))), 201);
        var sid = json.GetProperty("sid").GetString()!;
        var token = json.GetProperty("auth_token").GetString()!;
        return new Tenant(sid, token, ApiFixture.WithBasic(App.CreateClient(), sid, token));
    }

    /// <summary>Creates a call through the API; returns its sid.</summary>
    public static async Task<string> CreateCallAsync(Tenant tenant, string url, params (string, string)[] extra)
    {
        var response = await tenant.Client.PostAsync(
            $"/2010-04-01/Accounts/{tenant.Sid}/Calls.json",
            ApiFixture.Form([("To", "+15550001111"), ("From", "+15559990000"), ("Url", url), .. extra]));
        return (await ApiFixture.Json(response, 201)).GetProperty("sid").GetString()!;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    public void Dispose() => _app?.Dispose();
}

[CollectionDefinition(Name)]
public sealed class NodeApiCollection : ICollectionFixture<NodeApiFixture>
{
    public const string Name = "node-api";
}
