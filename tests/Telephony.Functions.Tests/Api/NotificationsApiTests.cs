using System.Text.Json;
using Telephony.Core.Errors;
using Telephony.Core.Ids;
using Telephony.Core.Notifications;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Api;

/// <summary>Notifications written the way a node writes them (NotificationStore), then read through the real HTTP pipeline.</summary>
[Collection(ApiCollection.Name)]
public sealed class NotificationsApiTests(ApiFixture api)
{
    private static string Notifications(Tenant t) => $"/2010-04-01/Accounts/{t.Sid}/Notifications";

    private Task<NotificationRecord> AddAsync(Tenant tenant, string callSid, int log = NotificationRecord.Error) =>
        new NotificationStore(api.Storage, TimeProvider.System).AddAsync(
            tenant.Sid, callSid, TwilioErrorCodes.CallConcurrencyLimitExceeded, log, "Msg=Call%20concurrency%20limit%20exceeded&MaxConcurrentCalls=2");

    [Fact]
    public async Task A_calls_notification_is_listed_newest_first_for_the_account_and_the_call_fetched_and_filtered_by_log()
    {
        var tenant = await api.CreateTenantAsync();
        var call = Sid.NewTimeOrdered(Sid.CallPrefix, DateTimeOffset.UtcNow);
        var otherCall = Sid.NewTimeOrdered(Sid.CallPrefix, DateTimeOffset.UtcNow);
        var first = await AddAsync(tenant, call);
        var warning = await AddAsync(tenant, otherCall, NotificationRecord.Warning);

        var fetched = await Json(await tenant.Client.GetAsync($"{Notifications(tenant)}/{first.Sid}.json"), 200);
        Assert.Matches("^NO[0-9a-f]{32}$", first.Sid);
        Assert.Equal(tenant.Sid, fetched.GetProperty("account_sid").GetString());
        Assert.Equal(call, fetched.GetProperty("call_sid").GetString());
        Assert.Equal("10004", fetched.GetProperty("error_code").GetString());
        Assert.Equal("0", fetched.GetProperty("log").GetString());
        Assert.Equal("https://www.twilio.com/docs/errors/10004", fetched.GetProperty("more_info").GetString());
        Assert.Contains("MaxConcurrentCalls=2", fetched.GetProperty("message_text").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("+0000", fetched.GetProperty("message_date").GetString(), StringComparison.Ordinal);
        Assert.Equal($"{Notifications(tenant)}/{first.Sid}.json", fetched.GetProperty("uri").GetString());
        Assert.Equal(string.Empty, fetched.GetProperty("response_body").GetString());

        var all = await Json(await tenant.Client.GetAsync($"{Notifications(tenant)}.json"), 200);
        var listed = all.GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal([warning.Sid, first.Sid], listed.Select(n => n.GetProperty("sid").GetString()));
        Assert.False(listed[0].TryGetProperty("response_body", out _), "the list leaves the request and response out, as Twilio's");

        var errors = await Json(await tenant.Client.GetAsync($"{Notifications(tenant)}.json?Log=0"), 200);
        Assert.Equal(first.Sid, Assert.Single(errors.GetProperty("notifications").EnumerateArray()).GetProperty("sid").GetString());
        var forCall = await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls/{call}/Notifications.json"), 200);
        Assert.Equal(first.Sid, Assert.Single(forCall.GetProperty("notifications").EnumerateArray()).GetProperty("sid").GetString());
        await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls/{call}/Notifications/{first.Sid}.json"), 200);
        await TwilioError(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls/{otherCall}/Notifications/{first.Sid}.json"), 404, 20404);

        await TwilioError(await tenant.Client.GetAsync($"{Notifications(tenant)}.json?Log=2"), 400, 20001);
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var dated = await Json(await tenant.Client.GetAsync($"{Notifications(tenant)}.json?MessageDate={today}"), 200);
        Assert.Equal(2, dated.GetProperty("notifications").GetArrayLength());
    }

    [Fact]
    public async Task Another_account_sees_none_of_them()
    {
        var owner = await api.CreateTenantAsync();
        var other = await api.CreateTenantAsync("other");
        var notification = await AddAsync(owner, Sid.NewTimeOrdered(Sid.CallPrefix, DateTimeOffset.UtcNow));

        await TwilioError(await other.Client.GetAsync($"{Notifications(owner)}/{notification.Sid}.json"), 401, 20003);
        await TwilioError(await other.Client.GetAsync($"{Notifications(other)}/{notification.Sid}.json"), 404, 20404);
        var list = await Json(await other.Client.GetAsync($"{Notifications(other)}.json"), 200);
        Assert.Equal(JsonValueKind.Array, list.GetProperty("notifications").ValueKind);
        Assert.Equal(0, list.GetProperty("notifications").GetArrayLength());
    }
}
