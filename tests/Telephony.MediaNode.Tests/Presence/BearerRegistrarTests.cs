using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Accounts;
using Telephony.Core.Presence;
using Telephony.Core.Storage;
using Telephony.Core.Tokens;
using Telephony.MediaNode.Presence;
using Telephony.Sip.Messages;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests.Presence;

/// <summary>
/// REGISTER with a Bearer AccessToken minted by the twilio npm SDK, verified against a key on real
/// Azurite, answered by the registrar core and mirrored into the presence table.
/// </summary>
public sealed class BearerRegistrarTests : IClassFixture<AzuriteFixture>
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly StorageClients _storage;
    private readonly PresenceRegistry _presence;
    private readonly SecretSealer _sealer = new("node test platform key");

    public BearerRegistrarTests(AzuriteFixture azurite)
    {
        _storage = new StorageClients(azurite.ConnectionString);
        _presence = new PresenceRegistry(_storage, _time);
    }

    [Fact]
    public async Task A_bearer_register_is_accepted_refreshed_doubled_and_removed_and_presence_follows()
    {
        var (registrar, account, tokens) = await SetUpAsync("alice");

        var phone = await registrar.HandleAsync(Register("alice", "sip:alice@192.0.2.10:5062", 1, tokens["valid"], expires: 300));
        Assert.Equal(200, phone.StatusCode);
        var registered = Assert.Single(await _presence.LookupAsync(account.Sid, "alice"));
        Assert.Equal(("node-test", "sip:alice@192.0.2.10:5062", "udp"), (registered.NodeId, registered.ContactUri, registered.Transport));

        _time.Advance(TimeSpan.FromSeconds(200));
        Assert.Equal(200, (await registrar.HandleAsync(Register("alice", "sip:alice@192.0.2.10:5062", 2, tokens["valid"], expires: 300))).StatusCode);
        Assert.Equal(200, (await registrar.HandleAsync(Register("alice", "sip:alice@192.0.2.11:5070;transport=tcp", 1, tokens["valid"], expires: 300, callId: "laptop"))).StatusCode);
        var both = await _presence.LookupAsync(account.Sid, "alice");
        Assert.Equal(["tcp", "udp"], both.Select(r => r.Transport).Order(StringComparer.Ordinal));
        Assert.All(both, r => Assert.True(r.ExpiresAt > _time.GetUtcNow().AddSeconds(250)));

        Assert.Equal(200, (await registrar.HandleAsync(Register("alice", "sip:alice@192.0.2.10:5062", 3, tokens["valid"], expires: 0))).StatusCode);
        Assert.Equal("tcp", Assert.Single(await _presence.LookupAsync(account.Sid, "alice")).Transport);

        _time.Advance(TimeSpan.FromSeconds(301));
        Assert.Empty(await _presence.LookupAsync(account.Sid, "alice"));
    }

    [Fact]
    public async Task An_early_refresh_of_the_same_contact_writes_no_presence_and_a_late_one_rewrites_the_row()
    {
        var (registrar, account, tokens) = await SetUpAsync("dora");
        Assert.Equal(200, (await registrar.HandleAsync(Register("dora", "sip:dora@192.0.2.30:5062", 1, tokens["valid"], expires: 300))).StatusCode);
        var written = Assert.Single(await _presence.LookupAsync(account.Sid, "dora"));

        // 10 s later the row still has 290 s to live, more than half of the new 300 s: no write.
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(200, (await registrar.HandleAsync(Register("dora", "sip:dora@192.0.2.30:5062", 2, tokens["valid"], expires: 300))).StatusCode);
        Assert.Equal(written.DateUpdated, Assert.Single(await _presence.LookupAsync(account.Sid, "dora")).DateUpdated);

        // 200 s after the write only 100 s are left: the row is rewritten with the new expiry.
        _time.Advance(TimeSpan.FromSeconds(190));
        Assert.Equal(200, (await registrar.HandleAsync(Register("dora", "sip:dora@192.0.2.30:5062", 3, tokens["valid"], expires: 300))).StatusCode);
        var rewritten = Assert.Single(await _presence.LookupAsync(account.Sid, "dora"));
        Assert.Equal(_time.GetUtcNow().AddSeconds(300), rewritten.ExpiresAt);
        Assert.True(rewritten.DateUpdated > written.DateUpdated);
    }

    [Fact]
    public async Task Missing_invalid_or_insufficient_tokens_get_the_bearer_challenge()
    {
        var (registrar, account, tokens) = await SetUpAsync("bob");

        var none = await registrar.HandleAsync(Register("bob", "sip:bob@192.0.2.20", 1, token: null));
        Assert.Equal(401, none.StatusCode);
        Assert.Equal("Bearer realm=\"telephony\"", none.Headers.Get(HeaderNames.WwwAuthenticate));

        var tampered = await registrar.HandleAsync(Register("bob", "sip:bob@192.0.2.20", 2, tokens["valid"][..^4] + "AAAA"));
        Assert.Equal(401, tampered.StatusCode);
        Assert.StartsWith("Bearer realm=\"telephony\", error=\"invalid_token\"", tampered.Headers.Get(HeaderNames.WwwAuthenticate), StringComparison.Ordinal);

        var noIncoming = await registrar.HandleAsync(Register("bob", "sip:bob@192.0.2.20", 3, tokens["outgoingOnly"]));
        Assert.Equal(403, noIncoming.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", noIncoming.Headers.Get(HeaderNames.WwwAuthenticate), StringComparison.Ordinal);

        Assert.Equal(403, (await registrar.HandleAsync(Register("mallory", "sip:mallory@192.0.2.21", 4, tokens["valid"]))).StatusCode);

        _time.Advance(TimeSpan.FromHours(2));
        var expired = await registrar.HandleAsync(Register("bob", "sip:bob@192.0.2.20", 5, tokens["valid"]));
        Assert.Equal(401, expired.StatusCode);
        Assert.Contains("expired", expired.Headers.Get(HeaderNames.WwwAuthenticate), StringComparison.Ordinal);
        Assert.Empty(await _presence.LookupAsync(account.Sid, "bob"));
    }

    private async Task<(BearerRegistrar Registrar, AccountRecord Account, IReadOnlyDictionary<string, string> Tokens)> SetUpAsync(string identity)
    {
        var accounts = new AccountStore(_storage, _time);
        var keys = new ApiKeyStore(_storage, _time, _sealer);
        var account = await accounts.CreateAsync("presence tenant");
        var key = await keys.CreateAsync(account.Sid, "clients");
        var tokens = await SdkTokenMinter.MintAsync(new
        {
            accountSid = account.Sid,
            keySid = key.Key.Sid,
            keySecret = key.Secret,
            authToken = account.AuthToken,
            identity,
            tokens = new object[] { new { name = "valid", kind = "access", ttl = 3600 }, new { name = "outgoingOnly", kind = "access", incoming = false, appSid = "AP" + new string('0', 32) } },
        });
        var registrar = new BearerRegistrar(
            new AccessTokenVerifier(accounts, keys, _sealer, _time),
            _presence,
            _time,
            new BearerRegistrarOptions { NodeId = "node-test" },
            NullLogger<BearerRegistrar>.Instance);
        return (registrar, account, tokens);
    }

    private static SipRequest Register(string user, string contact, int cseq, string? token, int expires = 600, string callId = "phone")
    {
        var text = new StringBuilder()
            .Append("REGISTER sip:platform.test SIP/2.0\r\n")
            .Append("Via: SIP/2.0/UDP 192.0.2.10:5062;branch=z9hG4bK").Append(callId).Append(cseq).Append("\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append("From: <sip:").Append(user).Append("@platform.test>;tag=t1\r\n")
            .Append("To: <sip:").Append(user).Append("@platform.test>\r\n")
            .Append("Call-ID: ").Append(callId).Append("@192.0.2.10\r\n")
            .Append("CSeq: ").Append(cseq).Append(" REGISTER\r\n")
            .Append("Contact: <").Append(contact).Append(">\r\n")
            .Append("Expires: ").Append(expires).Append("\r\n");
        if (token is not null)
        {
            text.Append("Authorization: Bearer ").Append(token).Append("\r\n");
        }

        text.Append("Content-Length: 0\r\n\r\n");
        var parsed = SipParser.ParseDatagram(Encoding.ASCII.GetBytes(text.ToString()));
        Assert.True(parsed.IsValid, parsed.Error?.Reason);
        return (SipRequest)parsed.Message!;
    }
}
