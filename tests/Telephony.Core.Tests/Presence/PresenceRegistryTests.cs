using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Ids;
using Telephony.Core.Presence;

namespace Telephony.Core.Tests.Presence;

/// <summary>PresenceRegistry on real Azurite with a fake clock: register, refresh, expire, sweep, several devices and nodes.</summary>
public sealed class PresenceRegistryTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Registrations_are_looked_up_per_identity_refreshed_and_expire()
    {
        var registry = new PresenceRegistry(fixture.Storage, _time);
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var phone = Registration(account, "alice", "node-1", "sip:alice@10.0.0.5:5060", TimeSpan.FromMinutes(5));
        var laptop = Registration(account, "alice", "node-2", "sip:alice@10.0.0.9:5070;transport=tcp", TimeSpan.FromMinutes(1));
        await registry.RegisterAsync(phone);
        await registry.RegisterAsync(laptop);
        await registry.RegisterAsync(Registration(account, "alice smith/2", "node-1", "sip:x@10.0.0.7", TimeSpan.FromMinutes(5)));
        await registry.RegisterAsync(Registration(Sid.NewRandom(Sid.AccountPrefix), "alice", "node-1", "sip:other@10.0.0.8", TimeSpan.FromMinutes(5)));

        var found = await registry.LookupAsync(account, "alice");
        Assert.Equal(["node-1", "node-2"], found.Select(r => r.NodeId).Order(StringComparer.Ordinal));
        Assert.Equal("sip:x@10.0.0.7", Assert.Single(await registry.LookupAsync(account, "alice smith/2")).ContactUri);
        Assert.Equal(3, (await registry.ListAsync(account)).Count);

        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("node-1", Assert.Single(await registry.LookupAsync(account, "alice")).NodeId);

        Assert.True(await registry.RefreshAsync(account, "alice", phone.RegistrationId, _time.GetUtcNow().AddMinutes(10)));
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(phone.ContactUri, Assert.Single(await registry.LookupAsync(account, "alice")).ContactUri);

        Assert.Equal(2, await registry.SweepExpiredAsync(account));
        Assert.False(await registry.RefreshAsync(account, "alice", laptop.RegistrationId, _time.GetUtcNow().AddMinutes(10)));
        Assert.True(await registry.UnregisterAsync(account, "alice", phone.RegistrationId));
        Assert.Empty(await registry.LookupAsync(account, "alice"));
        Assert.False(await registry.UnregisterAsync(account, "alice", phone.RegistrationId));
    }

    [Fact]
    public async Task Syncing_a_node_replaces_only_that_nodes_rows_for_the_identity()
    {
        var registry = new PresenceRegistry(fixture.Storage, _time);
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var first = Registration(account, "bob", "node-1", "sip:bob@10.0.0.1", TimeSpan.FromHours(1));
        var second = Registration(account, "bob", "node-1", "sip:bob@10.0.0.2", TimeSpan.FromHours(1));
        var elsewhere = Registration(account, "bob", "node-2", "sip:bob@10.0.0.3", TimeSpan.FromHours(1));
        await registry.SyncNodeAsync(account, "bob", "node-1", [first, second]);
        await registry.RegisterAsync(elsewhere);

        await registry.SyncNodeAsync(account, "bob", "node-1", [second]);
        Assert.Equal(["sip:bob@10.0.0.2", "sip:bob@10.0.0.3"], (await registry.LookupAsync(account, "bob")).Select(r => r.ContactUri).Order(StringComparer.Ordinal));

        await registry.SyncNodeAsync(account, "bob", "node-1", []);
        Assert.Equal("node-2", Assert.Single(await registry.LookupAsync(account, "bob")).NodeId);
    }

    [Fact]
    public async Task Removing_a_node_deletes_its_rows_written_before_the_cut_and_keeps_its_flow_until_then()
    {
        var registry = new PresenceRegistry(fixture.Storage, _time);
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var node = "node-restart-" + Guid.NewGuid().ToString("N");
        await registry.RegisterAsync(Registration(account, "carol", node, "sip:carol@10.0.0.1", TimeSpan.FromHours(1)) with { ReceivedFrom = "tcp:203.0.113.5:50432" });
        await registry.RegisterAsync(Registration(account, "carol", "node-other", "sip:carol@10.0.0.2", TimeSpan.FromHours(1)));
        Assert.Equal("tcp:203.0.113.5:50432", (await registry.LookupAsync(account, "carol")).Single(r => r.NodeId == node).ReceivedFrom);

        var restartedAt = _time.GetUtcNow().AddSeconds(1);
        _time.Advance(TimeSpan.FromSeconds(2));
        await registry.RegisterAsync(Registration(account, "dave", node, "sip:dave@10.0.0.3", TimeSpan.FromHours(1)));

        Assert.Equal(1, await registry.RemoveNodeAsync(node, restartedAt));
        Assert.Equal("node-other", Assert.Single(await registry.LookupAsync(account, "carol")).NodeId);
        Assert.Single(await registry.LookupAsync(account, "dave"));
        Assert.Equal(1, await registry.RemoveNodeAsync(node, _time.GetUtcNow().AddSeconds(1)));
        Assert.Empty(await registry.LookupAsync(account, "dave"));
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("support_agent-7.eu@example", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("angle<", false)]
    [InlineData("hash#", false)]
    [InlineData("percent%", false)]
    [InlineData("pipe|", false)]
    [InlineData("tab\t", false)]
    public void Client_identities_follow_Twilios_rules(string identity, bool valid)
    {
        Assert.Equal(valid, ClientIdentity.IsValid(identity));
        Assert.False(ClientIdentity.IsValid(new string('a', ClientIdentity.MaxLength + 1)));
        Assert.True(ClientIdentity.IsValid(new string('a', ClientIdentity.MaxLength)));
    }

    private PresenceRegistration Registration(string account, string identity, string node, string contact, TimeSpan lifetime) => new()
    {
        AccountSid = account,
        Identity = identity,
        RegistrationId = PresenceRegistry.RegistrationIdFor(node, contact),
        NodeId = node,
        ContactUri = contact,
        Transport = contact.Contains("transport=tcp", StringComparison.Ordinal) ? "tcp" : "udp",
        ExpiresAt = _time.GetUtcNow() + lifetime,
    };
}
