using System.Text;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Accounts;
using Telephony.Core.Errors;
using Telephony.Core.Tokens;
using Telephony.Testing;

namespace Telephony.Core.Tests.Tokens;

/// <summary>Tokens minted by the official twilio npm SDK, verified against accounts and keys on real Azurite.</summary>
public sealed class AccessTokenVerifierTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private const string AppSid = "AP0123456789abcdef0123456789abcdef";

    // The SDK stamps tokens with the real clock; the fake clock starts there and is moved from there.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly SecretSealer _sealer = new("platform key for tests");

    [Fact]
    public async Task Sdk_access_tokens_in_every_algorithm_and_capability_tokens_are_accepted_with_their_grants()
    {
        var (verifier, account, key) = await SetUpAsync();
        var tokens = await SdkTokenMinter.MintAsync(Request(account, key, "alice", [
            new { name = "hs256", kind = "access", algorithm = "HS256", appSid = AppSid, @params = new { mode = "test" } },
            new { name = "hs384", kind = "access", algorithm = "HS384" },
            new { name = "hs512", kind = "access", algorithm = "HS512" },
            new { name = "outgoingOnly", kind = "access", incoming = false, appSid = AppSid },
            new { name = "capability", kind = "capability", appSid = AppSid, @params = new { mode = "a b&c" } },
        ]));

        foreach (var name in new[] { "hs256", "hs384", "hs512" })
        {
            var verified = await verifier.VerifyAsync(tokens[name]);
            Assert.Equal((TokenKind.AccessToken, account.Sid, key.Key.Sid, "alice", true), (verified.Kind, verified.AccountSid, verified.IssuerSid, verified.Identity, verified.IncomingAllowed));
            Assert.Equal("alice", verified.RequireIncomingIdentity());
        }

        var withApp = await verifier.VerifyAsync(tokens["hs256"]);
        Assert.Equal(AppSid, withApp.OutgoingApplicationSid);
        Assert.Equal("test", withApp.OutgoingParameters["mode"]);

        var outgoingOnly = await verifier.VerifyAsync(tokens["outgoingOnly"]);
        Assert.False(outgoingOnly.IncomingAllowed);
        Assert.Equal(AccessTokenErrors.InvalidGrants, Assert.Throws<TwilioException>(() => outgoingOnly.RequireIncomingIdentity()).Error.Code);

        var capability = await verifier.VerifyAsync(tokens["capability"]);
        Assert.Equal((TokenKind.ClientCapability, account.Sid, account.Sid, "alice", true, AppSid), (capability.Kind, capability.AccountSid, capability.IssuerSid, capability.Identity, capability.IncomingAllowed, capability.OutgoingApplicationSid));
        Assert.Equal("a b&c", capability.OutgoingParameters["mode"]);
    }

    [Fact]
    public async Task Expired_not_yet_valid_tampered_foreign_and_revoked_tokens_are_refused_with_the_reason()
    {
        var (verifier, account, key) = await SetUpAsync();
        var other = await new AccountStore(fixture.Storage, _time).CreateAsync("other tenant");
        var notBefore = _time.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
        var tokens = await SdkTokenMinter.MintAsync(Request(account, key, "bob", [
            new { name = "valid", kind = "access", ttl = 600 },
            new { name = "future", kind = "access", nbf = notBefore },
            new { name = "dayAndMore", kind = "access", ttl = 2 * 86400 },
            new { name = "capability", kind = "capability", ttl = 600 },
        ]));
        var foreign = await SdkTokenMinter.MintAsync(new
        {
            accountSid = other.Sid,
            keySid = key.Key.Sid,
            keySecret = key.Secret,
            authToken = "not-the-token",
            identity = "bob",
            tokens = new object[] { new { name = "keyOfAnotherAccount", kind = "access" }, new { name = "wrongAuthToken", kind = "capability" } },
        });

        await RefusedAsync(verifier, AccessTokenErrors.NotYetValid, tokens["future"]);
        await RefusedAsync(verifier, AccessTokenErrors.Expired, tokens["dayAndMore"]);
        await RefusedAsync(verifier, AccessTokenErrors.InvalidIssuerOrSubject, foreign["keyOfAnotherAccount"]);
        await RefusedAsync(verifier, AccessTokenErrors.InvalidSignature, foreign["wrongAuthToken"]);
        await RefusedAsync(verifier, AccessTokenErrors.InvalidSignature, Tamper(tokens["valid"]));
        await RefusedAsync(verifier, AccessTokenErrors.InvalidHeader, WithAlgNone(tokens["valid"]));
        await RefusedAsync(verifier, AccessTokenErrors.Invalid, "not-a-jwt");
        await RefusedAsync(verifier, AccessTokenErrors.Invalid, "a.b.c");

        Assert.Equal("bob", (await verifier.VerifyAsync(tokens["valid"])).Identity);
        _time.Advance(TimeSpan.FromMinutes(12));
        await RefusedAsync(verifier, AccessTokenErrors.Expired, tokens["valid"]);
        await RefusedAsync(verifier, AccessTokenErrors.Expired, tokens["capability"]);
    }

    [Fact]
    public async Task Deleting_the_key_or_suspending_the_account_stops_its_tokens_at_once()
    {
        var (verifier, account, key) = await SetUpAsync();
        var tokens = await SdkTokenMinter.MintAsync(Request(account, key, "carol", [
            new { name = "access", kind = "access" },
            new { name = "capability", kind = "capability" },
        ]));
        Assert.Equal("carol", (await verifier.VerifyAsync(tokens["access"])).Identity);

        Assert.True(await new ApiKeyStore(fixture.Storage, _time).DeleteAsync(account.Sid, key.Key.Sid));
        await RefusedAsync(verifier, AccessTokenErrors.InvalidIssuerOrSubject, tokens["access"]);

        Assert.Equal("carol", (await verifier.VerifyAsync(tokens["capability"])).Identity);
        await new AccountStore(fixture.Storage, _time).UpdateAsync(account.Sid, a => a with { Status = AccountStatus.Suspended });
        await RefusedAsync(verifier, AccessTokenErrors.InvalidIssuerOrSubject, tokens["capability"]);
    }

    [Fact]
    public async Task With_issuer_freshness_a_deleted_key_still_verifies_inside_the_window_and_never_after_twice_it()
    {
        var (_, account, key) = await SetUpAsync();
        var verifier = new AccessTokenVerifier(new AccountStore(fixture.Storage, _time), new ApiKeyStore(fixture.Storage, _time, _sealer), _sealer, _time, TimeSpan.FromSeconds(1));
        var tokens = await SdkTokenMinter.MintAsync(Request(account, key, "erin", [new { name = "access", kind = "access" }]));
        Assert.Equal("erin", (await verifier.VerifyAsync(tokens["access"])).Identity);

        Assert.True(await new ApiKeyStore(fixture.Storage, _time).DeleteAsync(account.Sid, key.Key.Sid));
        Assert.Equal("erin", (await verifier.VerifyAsync(tokens["access"])).Identity);

        // Stale: this check starts the re-read and is still answered from the last value (younger than twice the window).
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Equal("erin", (await verifier.VerifyAsync(tokens["access"])).Identity);

        _time.Advance(TimeSpan.FromSeconds(1));
        await RefusedAsync(verifier, AccessTokenErrors.InvalidIssuerOrSubject, tokens["access"]);
    }

    private async Task<(AccessTokenVerifier Verifier, AccountRecord Account, NewApiKey Key)> SetUpAsync()
    {
        var accounts = new AccountStore(fixture.Storage, _time);
        var keys = new ApiKeyStore(fixture.Storage, _time, _sealer);
        var account = await accounts.CreateAsync("token tenant");
        var key = await keys.CreateAsync(account.Sid, "tokens");
        return (new AccessTokenVerifier(accounts, keys, _sealer, _time), account, key);
    }

    [Fact]
    public async Task Secrets_are_sealed_at_rest_and_keys_without_the_platform_key_cannot_sign()
    {
        var (verifier, account, key) = await SetUpAsync();
        var entity = (await fixture.Storage.Table(Storage.TableNames.ApiKeys).GetEntityAsync<Azure.Data.Tables.TableEntity>(account.Sid, key.Key.Sid)).Value;
        var sealedSecret = entity.GetBinary("SealedSecret");
        Assert.DoesNotContain(entity, kv => kv.Value is string s && s.Contains(key.Secret, StringComparison.Ordinal));
        Assert.False(sealedSecret.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key.Secret)) >= 0);
        Assert.Equal(key.Secret, _sealer.Open(sealedSecret, account.Sid, key.Key.Sid));
        Assert.Null(_sealer.Open(sealedSecret, account.Sid, Ids.Sid.NewRandom(Ids.Sid.ApiKeyPrefix)));

        var accounts = new AccountStore(fixture.Storage, _time);
        var unsealedKey = await new ApiKeyStore(fixture.Storage, _time).CreateAsync(account.Sid, "basic auth only");
        var tokens = await SdkTokenMinter.MintAsync(Request(account, key, "dave", [new { name = "access", kind = "access" }]));
        var unsealed = await SdkTokenMinter.MintAsync(Request(account, unsealedKey, "dave", [new { name = "access", kind = "access" }]));

        await RefusedAsync(verifier, AccessTokenErrors.InvalidSignature, unsealed["access"]);
        var otherPlatform = new AccessTokenVerifier(accounts, new ApiKeyStore(fixture.Storage, _time), new SecretSealer("another platform key"), _time);
        await RefusedAsync(otherPlatform, AccessTokenErrors.InvalidSignature, tokens["access"]);
        Assert.Equal("dave", (await verifier.VerifyAsync(tokens["access"])).Identity);
    }

    private static object Request(AccountRecord account, NewApiKey key, string identity, object[] tokens) => new
    {
        accountSid = account.Sid,
        keySid = key.Key.Sid,
        keySecret = key.Secret,
        authToken = account.AuthToken,
        identity,
        tokens,
    };

    private static async Task RefusedAsync(AccessTokenVerifier verifier, int code, string token)
    {
        var refused = await Assert.ThrowsAsync<TwilioException>(() => verifier.VerifyAsync(token));
        Assert.Equal((code, 401), (refused.Error.Code, refused.Error.Status));
    }

    /// <summary>Changes the identity in the payload and keeps the original signature.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).Replace("\"bob\"", "\"mallory\"", StringComparison.Ordinal);
        return parts[0] + "." + System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + "." + parts[2];
    }

    private static string WithAlgNone(string token)
    {
        var parts = token.Split('.');
        var header = System.Buffers.Text.Base64Url.EncodeToString("{\"alg\":\"none\",\"typ\":\"JWT\",\"cty\":\"twilio-fpa;v=1\"}"u8);
        return header + "." + parts[1] + ".";
    }
}
