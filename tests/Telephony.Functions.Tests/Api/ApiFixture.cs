using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Telephony.Core.Storage;
using Telephony.Functions.Tests.Hosting;

namespace Telephony.Functions.Tests.Api;

/// <summary>
/// The functions program in ApiOnly mode over a private Azurite (so the call-requests queue holds only
/// this collection's messages), with helpers to create tenants and authenticated clients.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime, IDisposable
{
    public const string AdminKey = "operator-test-key";
    private readonly PrivateAzurite _azurite = new();
    private FunctionsAppFactory? _app;

    public FunctionsAppFactory App => _app ?? throw new InvalidOperationException("not started");

    public StorageClients Storage { get; private set; } = null!;

    public string ConnectionString => _azurite.ConnectionString;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Storage = new StorageClients(_azurite.ConnectionString);
        _app = new FunctionsAppFactory(Settings(_azurite.ConnectionString));
    }

    public static Dictionary<string, string?> Settings(string connectionString) => new()
    {
        ["Telephony:HostMode"] = "ApiOnly",
        ["AzureWebJobsStorage"] = connectionString,
        ["Telephony:AdminKey"] = AdminKey,
        ["Telephony:Api:RequestsPerSecond"] = "100000",
        ["Telephony:Api:Burst"] = "100000",
    };

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    public void Dispose() => _app?.Dispose();

    public HttpClient Client(string user, string secret) => WithBasic(App.CreateClient(), user, secret);

    public HttpClient Admin() => Client("admin", AdminKey);

    /// <summary>Creates a tenant through the operator API and returns a client authenticated as it.</summary>
    public async Task<Tenant> CreateTenantAsync(string name = "tenant")
    {
        using var admin = Admin();
        var response = await admin.PostAsync("/2010-04-01/Accounts.json", Form(("FriendlyName", name)));
        var json = await Json(response, 201);
        var sid = json.GetProperty("sid").GetString()!;
        var token = json.GetProperty("auth_token").GetString()!;
        return new Tenant(sid, token, Client(sid, token));
    }

    public static HttpClient WithBasic(HttpClient client, string user, string secret)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret)));
        return client;
    }

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] pairs) =>
        new(pairs.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));

    /// <summary>Asserts the status and returns the JSON body.</summary>
    public static async Task<JsonElement> Json(HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts a Twilio error body with the status and code.</summary>
    public static async Task<JsonElement> TwilioError(HttpResponseMessage response, int status, int code)
    {
        var json = await Json(response, status);
        Assert.Equal(code, json.GetProperty("code").GetInt32());
        Assert.Equal(status, json.GetProperty("status").GetInt32());
        Assert.Equal($"https://www.twilio.com/docs/errors/{code}", json.GetProperty("more_info").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("message").GetString()));
        return json;
    }

    public static Task<HttpResponseMessage> CreateCallAsync(Tenant tenant, string to = "+15550001111", params (string, string)[] extra) =>
        tenant.Client.PostAsync(
            $"/2010-04-01/Accounts/{tenant.Sid}/Calls.json",
            Form([("To", to), ("From", "+15559990000"), ("Url", "https://app.example/voice"), .. extra]));
}

public sealed record Tenant(string Sid, string AuthToken, HttpClient Client);

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
