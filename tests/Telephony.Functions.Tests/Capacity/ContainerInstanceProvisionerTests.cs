using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Functions.Provisioning;

namespace Telephony.Functions.Tests.Capacity;

/// <summary>
/// The Azure Container Instances provisioner against a loopback stand-in for Azure Resource Manager that checks
/// the exact requests: path, pinned api-version, bearer token, body; listing with state, deleting, and the
/// error answers ARM gives (409, 429 with Retry-After, 5xx).
/// </summary>
public sealed class ContainerInstanceProvisionerTests : IAsyncLifetime
{
    private const string Subscription = "00000000-1111-2222-3333-444444444444";
    private const string ResourceGroup = "telephony-nodes";
    private const string IdentityId = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/telephony/providers/Microsoft.ManagedIdentity/userAssignedIdentities/tel-node";
    private const string GroupsPath = $"/subscriptions/{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/";
    private const string NodeKey = "node-key-for-aci-tests-0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["AzureWebJobsStorage:blobServiceUri"] = "https://tel.blob.core.windows.net/",
        ["AzureWebJobsStorage:queueServiceUri"] = "https://tel.queue.core.windows.net/",
        ["AzureWebJobsStorage:tableServiceUri"] = "https://tel.table.core.windows.net/",
        ["Telephony:NodeKey"] = NodeKey,
    };

    private readonly FakeTimeProvider _time = new(Now);
    private readonly StaticToken _token = new();
    private ArmStandIn _arm = null!;
    private ContainerInstanceOptions _options = null!;

    public async Task InitializeAsync()
    {
        _arm = await ArmStandIn.StartAsync();
        _options = new ContainerInstanceOptions
        {
            ArmEndpoint = _arm.Endpoint,
            SubscriptionId = Subscription,
            ResourceGroup = ResourceGroup,
            Location = "swedencentral",
            Image = "telregistry.azurecr.io/telephony-media-node:1.2.3",
            CpuCores = 2,
            MemoryGb = 3.5,
            SipPort = 5060,
            RtpPortMin = 10000,
            RtpPortMax = 10003,
            MaxConcurrentCalls = 40,
            IdentityResourceId = IdentityId,
            IdentityClientId = "client-id-of-node-identity",
            FunctionsUrl = "https://tel-func.example.net",
        };
    }

    [Fact]
    public async Task Start_puts_one_container_group_with_the_pinned_api_version_the_token_and_the_node_configuration()
    {
        _arm.Answer = r => r.Method == "PUT" ? Created(r) : NotFound();

        var node = await Provisioner().StartAsync(CancellationToken.None);

        var put = Assert.Single(_arm.Requests);
        Assert.Equal(("PUT", GroupsPath + "telephony-node-" + node.Id), (put.Method, put.Path));
        Assert.Equal(ContainerInstanceProvisioner.ApiVersion, put.ApiVersion);
        Assert.Equal("2025-09-01", put.ApiVersion);
        Assert.Equal("Bearer " + StaticToken.Value, put.Authorization);
        Assert.Contains(_arm.Endpoint + ".default", _token.Scopes);
        Assert.StartsWith("aci-", node.Id, StringComparison.Ordinal);
        Assert.Equal(Now, node.CreatedAt);

        using var body = JsonDocument.Parse(put.Body);
        var root = body.RootElement;
        Assert.Equal("swedencentral", root.GetProperty("location").GetString());
        Assert.Equal("UserAssigned", root.GetProperty("identity").GetProperty("type").GetString());
        Assert.True(root.GetProperty("identity").GetProperty("userAssignedIdentities").TryGetProperty(IdentityId, out _));
        Assert.Equal(node.Id, root.GetProperty("tags").GetProperty(ContainerInstanceProvisioner.NodeTag).GetString());

        var properties = root.GetProperty("properties");
        Assert.Equal("Linux", properties.GetProperty("osType").GetString());
        Assert.Equal("OnFailure", properties.GetProperty("restartPolicy").GetString());
        var registry = Assert.Single(properties.GetProperty("imageRegistryCredentials").EnumerateArray());
        Assert.Equal("telregistry.azurecr.io", registry.GetProperty("server").GetString());
        Assert.Equal(IdentityId, registry.GetProperty("identity").GetString());

        string[] ports = ["5060/UDP", "5060/TCP", "10000/UDP", "10001/UDP", "10002/UDP", "10003/UDP"];
        Assert.Equal("Public", properties.GetProperty("ipAddress").GetProperty("type").GetString());
        Assert.Equal(ports, Ports(properties.GetProperty("ipAddress").GetProperty("ports")));
        var label = properties.GetProperty("ipAddress").GetProperty("dnsNameLabel").GetString();
        Assert.Equal(_options.NamePrefix + node.Id, label);

        var container = Assert.Single(properties.GetProperty("containers").EnumerateArray());
        Assert.Equal("media-node", container.GetProperty("name").GetString());
        var settings = container.GetProperty("properties");
        Assert.Equal(_options.Image, settings.GetProperty("image").GetString());
        Assert.Equal(2, settings.GetProperty("resources").GetProperty("requests").GetProperty("cpu").GetDouble());
        Assert.Equal(3.5, settings.GetProperty("resources").GetProperty("requests").GetProperty("memoryInGB").GetDouble());
        Assert.Equal(ports, Ports(settings.GetProperty("ports")));

        var environment = settings.GetProperty("environmentVariables").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal(node.Id, Value(environment, "Telephony__Node__Id"));
        Assert.Equal("https://tel.queue.core.windows.net/", Value(environment, "AzureWebJobsStorage__queueServiceUri"));
        Assert.Equal("client-id-of-node-identity", Value(environment, "AzureWebJobsStorage__clientId"));
        Assert.Equal("https://tel-func.example.net", Value(environment, "Telephony__Node__FunctionsUrl"));
        Assert.Equal("udp:0.0.0.0:5060", Value(environment, "Telephony__Node__SipListen__0"));
        Assert.Equal("40", Value(environment, "Telephony__Node__MaxConcurrentCalls"));

        // The node resolves its group's name label to learn the public IP it advertises in Contact and SDP.
        Assert.Equal($"{label}.{_options.Location}.azurecontainer.io", Value(environment, "Telephony__Node__PublicHostName"));

        // The node key travels as a secure value only (ARM never returns those).
        var key = environment["Telephony__NodeKey"];
        Assert.Equal(NodeKey, key.GetProperty("secureValue").GetString());
        Assert.False(key.TryGetProperty("value", out _));
    }

    [Fact]
    public async Task List_returns_this_allocators_groups_with_their_creation_time_and_deletes_failed_ones()
    {
        var created = Now.AddMinutes(-7);
        _arm.Answer = r => r switch
        {
            { Method: "GET" } when r.Path == $"/subscriptions/{Subscription}/resourceGroups/{ResourceGroup}/resources" => new ArmAnswer(200, JsonSerializer.Serialize(new
            {
                value = new object[]
                {
                    Group("telephony-node-aci-running", "Succeeded", created),
                    Group("telephony-node-aci-starting", "Creating", created.AddMinutes(1)),
                    Group("telephony-node-aci-broken", "Failed", created),
                    Group("someone-elses-group", "Succeeded", created),
                },
            })),
            { Method: "DELETE" } => new ArmAnswer(202, Headers: new Dictionary<string, string> { ["Location"] = _arm.Endpoint + "operation" }),
            _ => NotFound(),
        };

        var nodes = await Provisioner().ListAsync(CancellationToken.None);

        Assert.Equal([("aci-running", created), ("aci-starting", created.AddMinutes(1))], nodes.Select(n => (n.Id, n.CreatedAt)));
        var list = _arm.Requests[0];
        Assert.Equal("resourceType eq 'Microsoft.ContainerInstance/containerGroups'", list["$filter"]);
        Assert.Equal("createdTime,provisioningState", list["$expand"]);
        Assert.False(string.IsNullOrEmpty(list.ApiVersion));
        Assert.Equal("Bearer " + StaticToken.Value, list.Authorization);
        var delete = Assert.Single(_arm.Requests, r => r.Method == "DELETE");
        Assert.Equal((GroupsPath + "telephony-node-aci-broken", "2025-09-01"), (delete.Path, delete.ApiVersion));
    }

    [Fact]
    public async Task Remove_deletes_the_group_and_a_group_already_gone_is_not_an_error()
    {
        _arm.Answer = r => r.Path.EndsWith("aci-present", StringComparison.Ordinal) ? new ArmAnswer(200) : NotFound();
        var provisioner = Provisioner();

        await provisioner.RemoveAsync("aci-present", CancellationToken.None);
        await provisioner.RemoveAsync("aci-gone", CancellationToken.None);

        Assert.Equal(
            [("DELETE", GroupsPath + "telephony-node-aci-present", "2025-09-01"), ("DELETE", GroupsPath + "telephony-node-aci-gone", "2025-09-01")],
            _arm.Requests.Select(r => (r.Method, r.Path, r.ApiVersion)));
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After_and_5xx_answers_are_retried()
    {
        var answers = new Queue<ArmAnswer>([
            new ArmAnswer(429, """{"error":{"code":"TooManyRequests","message":"slow down"}}""", new Dictionary<string, string> { ["Retry-After"] = "1" }),
            new ArmAnswer(503, """{"error":{"code":"ServiceUnavailable","message":"busy"}}"""),
        ]);
        _arm.Answer = r => answers.TryDequeue(out var answer) ? answer : Created(r);

        await Provisioner().StartAsync(CancellationToken.None);

        var puts = _arm.Requests;
        Assert.Equal(3, puts.Count);
        Assert.All(puts, p => Assert.Equal((puts[0].Path, "2025-09-01"), (p.Path, p.ApiVersion)));
        Assert.True(puts[1].At - puts[0].At >= TimeSpan.FromSeconds(0.9), $"retried {puts[1].At - puts[0].At} after a 429 with Retry-After: 1");
    }

    [Fact]
    public async Task A_409_conflict_or_a_lasting_5xx_fails_the_request_with_its_status()
    {
        _arm.Answer = _ => new ArmAnswer(409, """{"error":{"code":"Conflict","message":"the group is being deleted"}}""");
        var conflict = await Assert.ThrowsAsync<RequestFailedException>(() => Provisioner().StartAsync(CancellationToken.None));
        Assert.Equal(409, conflict.Status);
        Assert.Single(_arm.Requests); // a conflict is not retried by the pipeline

        _arm.Answer = _ => new ArmAnswer(500, """{"error":{"code":"InternalServerError","message":"broken"}}""");
        var broken = await Assert.ThrowsAsync<RequestFailedException>(() => Provisioner().RemoveAsync("aci-x", CancellationToken.None));
        Assert.Equal(500, broken.Status);
        Assert.Equal(1 + 1 + 2, _arm.Requests.Count); // the PUT, then the DELETE and its two retries
    }

    [Fact]
    public void A_node_environment_without_storage_or_the_functions_address_fails_clearly()
    {
        var noStorage = new NodeContainerEnvironment(_options, key => key == "Telephony:NodeKey" ? NodeKey : null);
        Assert.Contains("AzureWebJobsStorage:blobServiceUri", Assert.Throws<InvalidOperationException>(() => noStorage.For("aci-x")).Message, StringComparison.Ordinal);

        _options.FunctionsUrl = null;
        var noAddress = new NodeContainerEnvironment(_options, key => Settings.GetValueOrDefault(key));
        Assert.Contains("WEBSITE_HOSTNAME", Assert.Throws<InvalidOperationException>(() => noAddress.For("aci-x")).Message, StringComparison.Ordinal);

        var fromHostName = new NodeContainerEnvironment(_options, key => key == "WEBSITE_HOSTNAME" ? "tel-func.azurewebsites.net" : Settings.GetValueOrDefault(key));
        Assert.Contains(new NodeVariable("Telephony__Node__FunctionsUrl", "https://tel-func.azurewebsites.net"), fromHostName.For("aci-x"));
    }

    private ContainerInstanceProvisioner Provisioner()
    {
        var arm = ContainerInstanceProvisioner.CreateArmClient(_options, _token, o =>
        {
            o.Transport = new HttpClientTransport(_arm.Handler());
            o.Retry.Delay = TimeSpan.FromMilliseconds(20);
            o.Retry.MaxRetries = 2;
        });
        return new ContainerInstanceProvisioner(
            arm, _options, new NodeContainerEnvironment(_options, key => Settings.GetValueOrDefault(key)), _time, NullLogger<ContainerInstanceProvisioner>.Instance);
    }

    private static ArmAnswer Created(ArmRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        return new ArmAnswer(201, JsonSerializer.Serialize(new
        {
            id = request.Path,
            name = request.Path[(request.Path.LastIndexOf('/') + 1)..],
            type = "Microsoft.ContainerInstance/containerGroups",
            location = body.RootElement.GetProperty("location").GetString(),
            properties = new { provisioningState = "Pending" },
        }));
    }

    private static ArmAnswer NotFound() => new(404, """{"error":{"code":"ResourceNotFound","message":"not found"}}""");

    private static object Group(string name, string state, DateTimeOffset created) => new
    {
        id = GroupsPath + name,
        name,
        type = "Microsoft.ContainerInstance/containerGroups",
        location = "swedencentral",
        createdTime = created,
        provisioningState = state,
    };

    private static string[] Ports(JsonElement ports) =>
        [.. ports.EnumerateArray().Select(p => $"{p.GetProperty("port").GetInt32()}/{p.GetProperty("protocol").GetString()}")];

    private static string? Value(Dictionary<string, JsonElement> environment, string name) =>
        environment.TryGetValue(name, out var variable) ? variable.GetProperty("value").GetString() : null;

    public async Task DisposeAsync() => await _arm.DisposeAsync();

    /// <summary>A fixed token, recording the scopes it was asked for.</summary>
    private sealed class StaticToken : TokenCredential
    {
        public const string Value = "arm-test-token";

        public System.Collections.Concurrent.ConcurrentBag<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            foreach (var scope in requestContext.Scopes)
            {
                Scopes.Add(scope);
            }

            return new AccessToken(Value, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }
}
