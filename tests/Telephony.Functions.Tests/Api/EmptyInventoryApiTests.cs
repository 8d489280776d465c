using static Telephony.Functions.Tests.Api.ApiFixture;
using static Telephony.Functions.Tests.Api.PhoneNumberTestData;

namespace Telephony.Functions.Tests.Api;

/// <summary>Local mode with an empty inventory: any E.164 number may be taken, until the operator adds one. Private Azurite.</summary>
public sealed class EmptyInventoryApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Any_number_is_available_while_the_inventory_is_empty_and_only_inventory_numbers_after()
    {
        var tenant = await api.CreateTenantAsync();
        var path = $"/2010-04-01/Accounts/{tenant.Sid}/IncomingPhoneNumbers.json";
        var free = NewNumber();
        await Json(await tenant.Client.PostAsync(path, Form(("PhoneNumber", free))), 201);

        var other = await api.CreateTenantAsync("other");
        await TwilioError(await other.Client.PostAsync($"/2010-04-01/Accounts/{other.Sid}/IncomingPhoneNumbers.json", Form(("PhoneNumber", free))), 400, 21422);

        var listed = NewNumber();
        await AddToInventoryAsync(api, listed);
        await TwilioError(await tenant.Client.PostAsync(path, Form(("PhoneNumber", NewNumber()))), 400, 21422);
        await Json(await tenant.Client.PostAsync(path, Form(("PhoneNumber", listed))), 201);
    }
}
