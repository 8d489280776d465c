using Telephony.Core.Admission;
using Telephony.Functions.Tests.Api;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Capacity;

[Collection(ApiCollection.Name)]
public sealed class QueuedCallCapApiTests(ApiFixture api)
{
    [Fact]
    public async Task Calls_json_answers_429_with_20429_while_the_tenants_queue_is_full()
    {
        var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        await Json(await admin.PostAsync($"/v1/Accounts/{tenant.Sid}/Limits", Form(("CallsPerSecond", "0.01"), ("MaxQueuedCalls", "2"))), 200);
        var create = () => tenant.Client.PostAsync(
            $"/2010-04-01/Accounts/{tenant.Sid}/Calls.json",
            Form(("To", "+15550001111"), ("From", "+15550002222"), ("Url", "https://app.example/voice")));
        await Json(await create(), 201);

        // Admission (as admit-calls does) gives three calls slots 100 s apart: two of them wait, the cap.
        var store = new AdmissionStore(api.Storage);
        var limits = await store.GetLimitsAsync(tenant.Sid);
        for (var i = 0; i < 3; i++)
        {
            await store.ReserveAsync(tenant.Sid, state => AdmissionPacer.Admit(state, limits, DateTimeOffset.UtcNow));
        }

        await TwilioError(await create(), 429, 20429);
    }
}
