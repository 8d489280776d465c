using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Accounts;
using Telephony.Core.Dispatch;
using Telephony.Core.Errors;
using Telephony.Core.Ids;

namespace Telephony.Core.Tests;

public sealed class AccountStoreTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Accounts_are_created_active_with_a_random_token_and_can_be_suspended()
    {
        var accounts = new AccountStore(fixture.Storage, _time);
        var created = await accounts.CreateAsync("Tenant A");

        Assert.True(Sid.IsValid(created.Sid, Sid.AccountPrefix));
        Assert.Equal(32, created.AuthToken.Length);
        Assert.Equal(AccountStatus.Active, created.Status);

        var suspended = await accounts.UpdateAsync(created.Sid, a => a with { Status = AccountStatus.Suspended });
        Assert.Equal(AccountStatus.Suspended, suspended!.Status);
        Assert.Equal(AccountStatus.Suspended, (await accounts.GetAsync(created.Sid))!.Status);
        Assert.Null(await accounts.UpdateAsync(Sid.NewRandom(Sid.AccountPrefix), a => a));
    }

    [Fact]
    public async Task Cached_accounts_see_a_suspension_within_the_cache_period_and_never_keep_an_unknown_sid()
    {
        var accounts = new AccountStore(fixture.Storage, _time);
        var cached = new CachedAccounts(accounts, _time);
        var created = await accounts.CreateAsync("Tenant C");
        Assert.Equal(AccountStatus.Active, (await cached.GetAsync(created.Sid, CancellationToken.None))!.Status);

        await accounts.UpdateAsync(created.Sid, a => a with { Status = AccountStatus.Suspended });
        _time.Advance(CachedAccounts.CacheFor - TimeSpan.FromMilliseconds(1));
        Assert.Equal(AccountStatus.Active, (await cached.GetAsync(created.Sid, CancellationToken.None))!.Status);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(AccountStatus.Suspended, (await cached.GetAsync(created.Sid, CancellationToken.None))!.Status);

        // A sid that does not exist yet is read again each time, so it is found as soon as it exists.
        Assert.Null(await cached.GetAsync(Sid.NewRandom(Sid.AccountPrefix), CancellationToken.None));
    }

    [Fact]
    public async Task A_new_account_has_its_dispatch_queue_so_media_nodes_count_it_before_its_first_call()
    {
        var accounts = new AccountStore(fixture.Storage, _time);
        var created = await accounts.CreateAsync("Tenant with no calls yet");

        var listed = await new DispatchQueues(fixture.Storage, _time, TimeSpan.Zero).AccountsAsync();
        Assert.Contains(created.Sid, listed);
    }

    [Fact]
    public async Task Credentials_are_checked_for_tokens_keys_and_the_operator()
    {
        var accounts = new AccountStore(fixture.Storage, _time);
        var keys = new ApiKeyStore(fixture.Storage, _time);
        var verifier = new CredentialVerifier(accounts, keys, "operator-secret");
        var account = await accounts.CreateAsync("Tenant B");
        var key = await keys.CreateAsync(account.Sid, "ci");

        Assert.True((await verifier.VerifyAsync("admin", "operator-secret", null)).IsOperator);
        Assert.Equal(account.Sid, (await verifier.VerifyAsync(account.Sid, account.AuthToken, account.Sid)).AccountSid);
        var byKey = await verifier.VerifyAsync(key.Key.Sid, key.Secret, account.Sid);
        Assert.Equal((account.Sid, key.Key.Sid), (byKey.AccountSid, byKey.KeySid));

        await AssertRefused(() => verifier.VerifyAsync("admin", "wrong", null));
        await AssertRefused(() => verifier.VerifyAsync(account.Sid, account.AuthToken + "x", account.Sid));
        await AssertRefused(() => verifier.VerifyAsync(key.Key.Sid, "wrong", account.Sid));
        await AssertRefused(() => verifier.VerifyAsync(key.Key.Sid, key.Secret, Sid.NewRandom(Sid.AccountPrefix)));

        await accounts.UpdateAsync(account.Sid, a => a with { Status = AccountStatus.Closed });
        await AssertRefused(() => verifier.VerifyAsync(account.Sid, account.AuthToken, account.Sid));
        await AssertRefused(() => verifier.VerifyAsync(key.Key.Sid, key.Secret, account.Sid));

        Assert.True(await keys.DeleteAsync(account.Sid, key.Key.Sid));
        Assert.Null(await keys.GetAsync(account.Sid, key.Key.Sid));
    }

    [Fact]
    public async Task Keys_store_only_a_salted_hash_of_the_secret()
    {
        var keys = new ApiKeyStore(fixture.Storage, _time);
        var account = Sid.NewRandom(Sid.AccountPrefix);
        var created = await keys.CreateAsync(account, "k");

        var entity = await fixture.Storage.Table(Storage.TableNames.ApiKeys).GetEntityAsync<Azure.Data.Tables.TableEntity>(account, created.Key.Sid);

        Assert.DoesNotContain(entity.Value, kv => kv.Value is string s && s.Contains(created.Secret, StringComparison.Ordinal));
        Assert.Equal(32, entity.Value.GetBinary("SecretHash").Length);
        var page = await keys.ListAsync(account, 10, null);
        Assert.Equal(created.Key.Sid, Assert.Single(page.Items).Sid);
    }

    private static async Task AssertRefused(Func<Task> verify)
    {
        var e = await Assert.ThrowsAsync<TwilioException>(verify);
        Assert.Equal((TwilioErrorCodes.Authenticate, 401), (e.Error.Code, e.Error.Status));
    }
}
