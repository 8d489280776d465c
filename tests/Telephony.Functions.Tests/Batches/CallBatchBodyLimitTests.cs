using System.Text;
using Telephony.Functions.Tests.Api;
using Telephony.Functions.Tests.Hosting;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Batches;

[Collection(BatchCollection.Name)]
public sealed class CallBatchBodyLimitTests(ApiFixture api)
{
    [Fact]
    public async Task CallBatches_has_its_own_body_cap_and_every_other_request_keeps_the_64_KiB_one()
    {
        var settings = Settings(api.ConnectionString);
        settings["Telephony:Api:MaxBatchBodyBytes"] = "100000";
        await using var app = new FunctionsAppFactory(settings);
        using var admin = WithBasic(app.CreateClient(), "admin", AdminKey);
        var account = await Json(await admin.PostAsync("/2010-04-01/Accounts.json", Form(("FriendlyName", "limits"))), 201);
        var sid = account.GetProperty("sid").GetString()!;
        using var tenant = WithBasic(app.CreateClient(), sid, account.GetProperty("auth_token").GetString()!);

        string Rows(int count) => "To,From,Url\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"+1555{i:D7},+15559990000,https://app.example/voice\n"));
        var fits = Rows(1500);
        var tooLarge = Rows(2200);
        Assert.InRange(Encoding.UTF8.GetByteCount(fits), 64 * 1024, 100_000);
        Assert.True(Encoding.UTF8.GetByteCount(tooLarge) > 100_000);

        var created = await Json(await tenant.PostAsync($"/v1/Accounts/{sid}/CallBatches", new StringContent(fits, Encoding.UTF8, "text/csv")), 201);
        Assert.Equal(1500, created.GetProperty("call_count").GetInt32());
        await TwilioError(await tenant.PostAsync($"/v1/Accounts/{sid}/CallBatches", new StringContent(tooLarge, Encoding.UTF8, "text/csv")), 413, 20413);

        // The larger cap is for creating batches only: a call batch cancel and Calls.json keep 64 KiB.
        var padding = new string('x', 70 * 1024);
        await TwilioError(await tenant.PostAsync($"/v1/Accounts/{sid}/CallBatches/{created.GetProperty("sid").GetString()}", Form(("Status", "canceled"), ("Pad", padding))), 413, 20413);
        await TwilioError(await tenant.PostAsync($"/2010-04-01/Accounts/{sid}/Calls.json", Form(("To", "+15550001111"), ("Twiml", padding))), 413, 20413);
    }
}
