using System.Globalization;
using System.Security.Cryptography;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Api;

/// <summary>Numbers for tests that share one Azurite: random, and added to the operator's inventory first.</summary>
internal static class PhoneNumberTestData
{
    /// <summary>A number no other test uses: +1 555 and 7 random digits.</summary>
    public static string NewNumber() => "+1555" + RandomNumberGenerator.GetInt32(0, 10_000_000).ToString("D7", CultureInfo.InvariantCulture);

    public static async Task AddToInventoryAsync(ApiFixture api, string number)
    {
        using var admin = api.Admin();
        await Json(await admin.PostAsync("/v1/PhoneNumbers", Form(("PhoneNumber", number))), 201);
    }
}
