using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Core.Numbers;
using Telephony.Core.Parameters;

namespace Telephony.Core.Tests.Numbers;

/// <summary>The inbound-routing lookup and the claim rules, on real Azurite (inventory enforced: the shared inventory is never assumed empty).</summary>
public sealed class PhoneNumberDirectoryTests(StorageFixture fixture) : IClassFixture<StorageFixture>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static string NewNumber() => "+1556" + RandomNumberGenerator.GetInt32(0, 10_000_000).ToString("D7", CultureInfo.InvariantCulture);

    private static string NewAccount() => Sid.NewRandom(Sid.AccountPrefix);

    private static PhoneNumberChange Settings(params (string Name, string Value)[] pairs) =>
        PhoneNumberChange.Parse(new RequestParameters(pairs.ToDictionary(p => p.Name, p => (IReadOnlyList<string>)[p.Value], StringComparer.Ordinal)));

    private PhoneNumberStore Store() => new(fixture.Storage, _time, new PhoneNumberOptions { AnyNumberWhenInventoryEmpty = false });

    private async Task<string> InventoryNumberAsync()
    {
        var number = NewNumber();
        await new NumberInventory(fixture.Storage, _time).AddAsync(number);
        return number;
    }

    [Fact]
    public async Task FindAsync_routes_a_held_number_to_its_account_and_voice_settings_until_it_is_released()
    {
        var store = Store();
        var directory = new PhoneNumberDirectory(fixture.Storage, store);
        var number = await InventoryNumberAsync();
        var account = NewAccount();
        Assert.Null(await directory.FindAsync(number));

        var created = await store.CreateAsync(account, number, Settings(
            ("VoiceUrl", "https://app.example/in"), ("VoiceMethod", "GET"), ("VoiceFallbackUrl", "https://app.example/fb"),
            ("StatusCallback", "https://app.example/st"), ("StatusCallbackMethod", "GET")));

        var route = await directory.FindAsync(number);
        Assert.NotNull(route);
        Assert.Equal(account, route.AccountSid);
        Assert.Equal(created.Sid, route.Sid);
        Assert.Equal("https://app.example/in", route.Voice.Url);
        Assert.Equal("GET", route.Voice.Method);
        Assert.Equal("https://app.example/fb", route.Voice.FallbackUrl);
        Assert.Equal("POST", route.Voice.FallbackMethod);
        Assert.Equal("https://app.example/st", route.Voice.StatusCallback);
        Assert.Equal("GET", route.Voice.StatusCallbackMethod);

        await store.UpdateAsync(account, created.Sid, Settings(("VoiceUrl", "https://app.example/v2")));
        Assert.Equal("https://app.example/v2", (await directory.FindAsync(number))!.Voice.Url);

        Assert.True(await store.DeleteAsync(account, created.Sid));
        Assert.Null(await directory.FindAsync(number));
        Assert.Null(await directory.FindAsync("not-a-number"));
        Assert.Null(await directory.FindAsync(NewNumber()));
    }

    [Fact]
    public async Task The_cached_directory_keeps_a_held_number_for_five_seconds_and_never_keeps_a_number_nobody_holds()
    {
        var store = Store();
        var cached = new CachedPhoneNumberDirectory(new PhoneNumberDirectory(fixture.Storage, store), _time);
        var number = await InventoryNumberAsync();
        var account = NewAccount();
        Assert.Null(await cached.FindAsync(number));

        // Bought a moment after a call found nobody: the next call routes at once (misses are not kept).
        var created = await store.CreateAsync(account, number, Settings(("VoiceUrl", "https://app.example/v1")));
        Assert.Equal("https://app.example/v1", (await cached.FindAsync(number))!.Voice.Url);

        // A change reaches the cache only when its 5 s are over; a release likewise.
        await store.UpdateAsync(account, created.Sid, Settings(("VoiceUrl", "https://app.example/v2")));
        _time.Advance(CachedPhoneNumberDirectory.CacheFor - TimeSpan.FromMilliseconds(1));
        Assert.Equal("https://app.example/v1", (await cached.FindAsync(number))!.Voice.Url);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("https://app.example/v2", (await cached.FindAsync(number))!.Voice.Url);

        Assert.True(await store.DeleteAsync(account, created.Sid));
        _time.Advance(CachedPhoneNumberDirectory.CacheFor);
        Assert.Null(await cached.FindAsync(number));
        Assert.Null(await cached.FindAsync("not-a-number"));
    }

    [Fact]
    public async Task A_number_outside_the_inventory_is_not_available_once_the_inventory_has_numbers()
    {
        await InventoryNumberAsync();
        var refused = await Assert.ThrowsAsync<TwilioException>(() => Store().CreateAsync(NewAccount(), NewNumber(), Settings()));
        Assert.Equal(NumberErrors.NotAvailable, refused.Error.Code);
    }

    [Fact]
    public async Task A_claim_whose_record_was_never_written_is_taken_back_after_the_grace_period()
    {
        var store = Store();
        var directory = new PhoneNumberDirectory(fixture.Storage, store);
        var number = await InventoryNumberAsync();

        // A create that died between its claim and its record.
        Assert.True(await new NumberClaims(fixture.Storage).TryClaimAsync(number, NewAccount(), Sid.NewRandom(PhoneNumberRecord.SidPrefix), _time.GetUtcNow(), default));
        Assert.Null(await directory.FindAsync(number));

        var account = NewAccount();
        var early = await Assert.ThrowsAsync<TwilioException>(() => store.CreateAsync(account, number, Settings()));
        Assert.Equal(NumberErrors.NotAvailable, early.Error.Code);

        _time.Advance(PhoneNumberStore.OrphanGrace + TimeSpan.FromSeconds(1));
        var taken = await store.CreateAsync(account, number, Settings());
        Assert.Equal(account, (await directory.FindAsync(number))!.AccountSid);
        Assert.Equal(taken.Sid, (await directory.FindAsync(number))!.Sid);
    }

    [Fact]
    public async Task A_held_claim_is_never_taken_back_however_old()
    {
        var store = Store();
        var number = await InventoryNumberAsync();
        var owner = NewAccount();
        await store.CreateAsync(owner, number, Settings());
        _time.Advance(TimeSpan.FromDays(30));

        var refused = await Assert.ThrowsAsync<TwilioException>(() => store.CreateAsync(NewAccount(), number, Settings()));
        Assert.Equal(NumberErrors.NotAvailable, refused.Error.Code);
        Assert.Equal(owner, (await new PhoneNumberDirectory(fixture.Storage, store).FindAsync(number))!.AccountSid);
    }

    [Theory]
    [InlineData("+14155550100", "(415) 555-0100")]
    [InlineData("+442071838750", "+442071838750")]
    public void Default_friendly_name_is_Twilio_formatted_for_North_American_numbers(string number, string expected) =>
        Assert.Equal(expected, E164.FriendlyName(number));

    [Theory]
    [InlineData("+14155550100", true)]
    [InlineData("+442071838750", true)]
    [InlineData("14155550100", false)]
    [InlineData("+04155550100", false)]
    [InlineData("+1415555010012345", false)]
    [InlineData("+1415-555", false)]
    [InlineData("+1", false)]
    [InlineData(null, false)]
    public void E164_validation(string? number, bool valid) => Assert.Equal(valid, E164.IsValid(number));

    [Fact]
    public void Phone_number_filter_matches_partial_numbers_with_digit_wildcards()
    {
        var record = new PhoneNumberRecord
        {
            Sid = Sid.NewRandom(PhoneNumberRecord.SidPrefix),
            AccountSid = NewAccount(),
            PhoneNumber = "+14155550100",
            FriendlyName = "desk",
            DateCreated = default,
            DateUpdated = default,
        };
        Assert.True(new PhoneNumberFilter("555", null).Matches(record));
        Assert.True(new PhoneNumberFilter("+1415*55", null).Matches(record));
        Assert.True(new PhoneNumberFilter("0100", "desk").Matches(record));
        Assert.False(new PhoneNumberFilter("0100", "other").Matches(record));
        Assert.False(new PhoneNumberFilter("*+", null).Matches(record));
        Assert.False(new PhoneNumberFilter("4156", null).Matches(record));
    }
}
