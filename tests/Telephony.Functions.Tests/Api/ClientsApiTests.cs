using Telephony.Core.Presence;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Api;

/// <summary><c>/v1/Accounts/{AC}/Clients</c> shows what PresenceRegistry holds, to the account's own credentials only.</summary>
[Collection(ApiCollection.Name)]
public sealed class ClientsApiTests(ApiFixture api)
{
    [Fact]
    public async Task Live_registrations_are_listed_per_identity_and_expired_ones_are_not()
    {
        var tenant = await api.CreateTenantAsync();
        var other = await api.CreateTenantAsync("other");
        var registry = new PresenceRegistry(api.Storage, TimeProvider.System);
        await registry.RegisterAsync(Registration(tenant.Sid, "alice", "node-a", "sip:alice@10.1.0.1:5060", TimeSpan.FromHours(1)));
        await registry.RegisterAsync(Registration(tenant.Sid, "alice", "node-b", "sip:alice@10.1.0.2:5060", TimeSpan.FromHours(1)));
        await registry.RegisterAsync(Registration(tenant.Sid, "bob jones", "node-a", "sip:bob@10.1.0.3:5060", TimeSpan.FromHours(1)));
        await registry.RegisterAsync(Registration(tenant.Sid, "gone", "node-a", "sip:gone@10.1.0.4:5060", TimeSpan.FromSeconds(-1)));

        var list = await Json(await tenant.Client.GetAsync($"/v1/Accounts/{tenant.Sid}/Clients"), 200);
        var clients = list.GetProperty("clients").EnumerateArray().ToList();
        Assert.Equal(["alice", "bob jones"], clients.Select(c => c.GetProperty("identity").GetString()));
        Assert.Equal(2, clients[0].GetProperty("registrations").GetArrayLength());

        var bob = await Json(await tenant.Client.GetAsync($"/v1/Accounts/{tenant.Sid}/Clients/bob%20jones"), 200);
        Assert.Equal("online", bob.GetProperty("status").GetString());
        var registration = Assert.Single(bob.GetProperty("registrations").EnumerateArray());
        Assert.Equal(("sip:bob@10.1.0.3:5060", "node-a", "udp"), (registration.GetProperty("contact_uri").GetString(), registration.GetProperty("node_id").GetString(), registration.GetProperty("transport").GetString()));

        await TwilioError(await tenant.Client.GetAsync($"/v1/Accounts/{tenant.Sid}/Clients/gone"), 404, 20404);
        await TwilioError(await other.Client.GetAsync($"/v1/Accounts/{tenant.Sid}/Clients"), 401, 20003);
        Assert.Empty((await Json(await other.Client.GetAsync($"/v1/Accounts/{other.Sid}/Clients"), 200)).GetProperty("clients").EnumerateArray());
    }

    private static PresenceRegistration Registration(string account, string identity, string node, string contact, TimeSpan lifetime) => new()
    {
        AccountSid = account,
        Identity = identity,
        RegistrationId = PresenceRegistry.RegistrationIdFor(node, contact),
        NodeId = node,
        ContactUri = contact,
        Transport = "udp",
        ExpiresAt = DateTimeOffset.UtcNow + lifetime,
    };
}
