using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Core.Calls;
using Telephony.Core.Messaging;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class CallsApiTests(ApiFixture api)
{
    [Fact]
    public async Task A_created_call_is_queued_stored_and_requested_on_the_queue()
    {
        var tenant = await api.CreateTenantAsync();

        var json = await Json(await CreateCallAsync(tenant, "+15550001234", ("StatusCallbackEvent", "initiated"), ("StatusCallbackEvent", "answered"), ("Timeout", "30")), 201);

        var sid = json.GetProperty("sid").GetString()!;
        Assert.Matches("^CA[0-9a-f]{32}$", sid);
        Assert.Equal("queued", json.GetProperty("status").GetString());
        Assert.Equal("+15550001234", json.GetProperty("to").GetString());
        Assert.Equal("outbound-api", json.GetProperty("direction").GetString());
        Assert.Equal(tenant.Sid, json.GetProperty("account_sid").GetString());
        Assert.Equal($"/2010-04-01/Accounts/{tenant.Sid}/Calls/{sid}.json", json.GetProperty("uri").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("start_time").ValueKind);
        Assert.EndsWith("+0000", json.GetProperty("date_created").GetString(), StringComparison.Ordinal);

        var fetched = await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls/{sid}.json"), 200);
        Assert.Equal(sid, fetched.GetProperty("sid").GetString());

        var queue = api.Storage.Queue(QueueNames.CallRequests);
        var request = await Hosting.Eventually.ReturnsAsync(
            async () => (await queue.PeekMessagesAsync(32)).Value
                .Select(m => MessageJson.Deserialize<CallRequestMessage>(m.MessageText))
                .FirstOrDefault(m => m.CallSid == sid),
            TimeSpan.FromSeconds(30),
            "the call request message");
        Assert.Equal(tenant.Sid, request.AccountSid);
    }

    [Fact]
    public async Task Lists_page_newest_first_across_pages_keeping_filters()
    {
        var tenant = await api.CreateTenantAsync();
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await Json(await CreateCallAsync(tenant, "+1555000700" + (i % 2)), 201)).GetProperty("sid").GetString()!);
        }

        var seen = new List<string>();
        string? next = $"/2010-04-01/Accounts/{tenant.Sid}/Calls.json?PageSize=3";
        var pages = 0;
        while (next is not null)
        {
            var page = await Json(await tenant.Client.GetAsync(next), 200);
            Assert.Equal(pages, page.GetProperty("page").GetInt32());
            Assert.Equal(3, page.GetProperty("page_size").GetInt32());
            Assert.Equal(pages * 3, page.GetProperty("start").GetInt32());
            Assert.Contains("PageSize=3", page.GetProperty("first_page_uri").GetString(), StringComparison.Ordinal);
            if (pages == 1)
            {
                Assert.Equal(page.GetProperty("first_page_uri").GetString(), page.GetProperty("previous_page_uri").GetString());
            }
            else
            {
                Assert.Equal(JsonValueKind.Null, page.GetProperty("previous_page_uri").ValueKind);
            }

            seen.AddRange(page.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("sid").GetString()!));
            next = page.GetProperty("next_page_uri").GetString();
            pages++;
        }

        Assert.Equal(3, pages);
        created.Reverse();
        Assert.Equal(created, seen);

        var filtered = new List<string>();
        next = $"/2010-04-01/Accounts/{tenant.Sid}/Calls.json?To=%2B15550007001&PageSize=2";
        while (next is not null)
        {
            var page = await Json(await tenant.Client.GetAsync(next), 200);
            filtered.AddRange(page.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("to").GetString()!));
            next = page.GetProperty("next_page_uri").GetString();
            Assert.True(next is null || next.Contains("To=%2B15550007001", StringComparison.Ordinal), next);
        }

        Assert.Equal(3, filtered.Count);
        Assert.All(filtered, to => Assert.Equal("+15550007001", to));
        var byPageNumber = await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json?PageSize=3&Page=2"), 200);
        Assert.Equal(created[6], Assert.Single(byPageNumber.GetProperty("calls").EnumerateArray()).GetProperty("sid").GetString());
    }

    [Fact]
    public async Task Status_and_start_time_filters_select_matching_calls()
    {
        var tenant = await api.CreateTenantAsync();
        var answered = (await Json(await CreateCallAsync(tenant), 201)).GetProperty("sid").GetString()!;
        await Json(await CreateCallAsync(tenant), 201);
        var store = api.App.Services.GetRequiredService<CallStore>();
        await store.UpdateAsync(tenant.Sid, answered, c => CallTransitions.ChangeStatus(c, CallStatus.InProgress, DateTimeOffset.UtcNow));
        var today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var inProgress = await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json?Status=in-progress"), 200);
        Assert.Equal(answered, Assert.Single(inProgress.GetProperty("calls").EnumerateArray()).GetProperty("sid").GetString());
        var startedToday = await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json?StartTime={today}"), 200);
        Assert.Equal(answered, Assert.Single(startedToday.GetProperty("calls").EnumerateArray()).GetProperty("sid").GetString());
        var startedAfter = await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json?StartTime%3E={today}"), 200);
        Assert.Single(startedAfter.GetProperty("calls").EnumerateArray());
        var startedBefore = await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json?StartTime%3C=2001-01-01"), 200);
        Assert.Empty(startedBefore.GetProperty("calls").EnumerateArray());
        await TwilioError(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json?Status=sleeping"), 400, 20001);
        await TwilioError(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json?EndTime=2020-01-01"), 400, 20001);
        await TwilioError(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json?PageToken=bogus"), 400, 20001);
        await TwilioError(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls.json?PageSize=1001"), 400, 20001);
    }

    [Fact]
    public async Task Updates_cancel_redirect_and_refuse_finished_calls()
    {
        var tenant = await api.CreateTenantAsync();
        var sid = (await Json(await CreateCallAsync(tenant), 201)).GetProperty("sid").GetString()!;
        var uri = $"/2010-04-01/Accounts/{tenant.Sid}/Calls/{sid}.json";

        await TwilioError(await tenant.Client.DeleteAsync(uri), 400, 21220);
        var redirected = await Json(await tenant.Client.PostAsync(uri, Form(("Url", "https://app.example/next"), ("Method", "GET"))), 200);
        Assert.Equal("queued", redirected.GetProperty("status").GetString());
        var canceled = await Json(await tenant.Client.PostAsync(uri, Form(("Status", "canceled"))), 200);
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, canceled.GetProperty("end_time").ValueKind);

        await TwilioError(await tenant.Client.PostAsync(uri, Form(("Url", "https://app.example/late"))), 400, 21220);
        await TwilioError(await tenant.Client.PostAsync(uri, Form(("Status", "ringing"))), 400, 20001);

        var store = api.App.Services.GetRequiredService<CallStore>();
        var stored = await store.GetAsync(tenant.Sid, sid);
        Assert.Equal("https://app.example/next", stored!.Instructions.Url);
        Assert.Equal("GET", stored.Instructions.Method);

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync(uri)).StatusCode);
        await TwilioError(await tenant.Client.GetAsync(uri), 404, 20404);
        await TwilioError(await tenant.Client.DeleteAsync(uri), 404, 20404);
    }

    [Fact]
    public async Task Completing_an_answered_call_records_its_end_and_tells_its_node()
    {
        var tenant = await api.CreateTenantAsync();
        var sid = (await Json(await CreateCallAsync(tenant), 201)).GetProperty("sid").GetString()!;
        var store = api.App.Services.GetRequiredService<CallStore>();
        var node = "node" + Guid.NewGuid().ToString("N")[..8];
        await store.UpdateAsync(tenant.Sid, sid, c => CallTransitions.ChangeStatus(c with { NodeId = node }, CallStatus.InProgress, DateTimeOffset.UtcNow));

        var completed = await Json(await tenant.Client.PostAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls/{sid}.json", Form(("Status", "completed"))), 200);

        Assert.Equal("completed", completed.GetProperty("status").GetString());
        Assert.NotNull(completed.GetProperty("duration").GetString());
        var messages = await api.Storage.Queue(QueueNames.NodeControl(node)).PeekMessagesAsync(10);
        var control = MessageJson.Deserialize<CallControlMessage>(Assert.Single(messages.Value).MessageText);
        Assert.Equal((sid, CallEventTypes.StatusChanged), (control.CallSid, control.EventType));
    }

    [Fact]
    public async Task Concurrent_updates_of_one_call_are_all_recorded()
    {
        var tenant = await api.CreateTenantAsync();
        var sid = (await Json(await CreateCallAsync(tenant), 201)).GetProperty("sid").GetString()!;
        const int writers = 10;

        var responses = await Task.WhenAll(Enumerable.Range(0, writers).Select(i => tenant.Client.PostAsync(
            $"/2010-04-01/Accounts/{tenant.Sid}/Calls/{sid}.json", Form(("Url", $"https://app.example/step{i}")))));

        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode));
        var events = await new CallEventStore(api.Storage).ListAsync(tenant.Sid, sid);
        Assert.Equal(Enumerable.Range(1, writers + 1).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(
            Enumerable.Range(0, writers).Select(i => $"https://app.example/step{i}").Order(),
            events.Where(e => e.Type == CallEventTypes.Redirected).Select(e => e.Detail!).Order());
        var final = await api.App.Services.GetRequiredService<CallStore>().GetAsync(tenant.Sid, sid);
        Assert.Equal(events[^1].Detail, final!.Instructions.Url);
    }

    [Fact]
    public async Task Tenants_are_isolated_from_each_other()
    {
        var a = await api.CreateTenantAsync("a");
        var b = await api.CreateTenantAsync("b");
        var sid = (await Json(await CreateCallAsync(a), 201)).GetProperty("sid").GetString()!;

        await TwilioError(await b.Client.GetAsync($"/2010-04-01/Accounts/{b.Sid}/Calls/{sid}.json"), 404, 20404);
        await TwilioError(await b.Client.PostAsync($"/2010-04-01/Accounts/{b.Sid}/Calls/{sid}.json", Form(("Status", "canceled"))), 404, 20404);
        await TwilioError(await b.Client.GetAsync($"/2010-04-01/Accounts/{a.Sid}/Calls/{sid}.json"), 401, 20003);
        await TwilioError(await b.Client.GetAsync($"/2010-04-01/Accounts/{a.Sid}/Calls.json"), 401, 20003);
        await TwilioError(await CreateCallAsync(b with { Sid = a.Sid }), 401, 20003);
        var bList = await Json(await b.Client.GetAsync($"/2010-04-01/Accounts/{b.Sid}/Calls.json"), 200);
        Assert.Empty(bList.GetProperty("calls").EnumerateArray());
        var stillQueued = await Json(await a.Client.GetAsync($"/2010-04-01/Accounts/{a.Sid}/Calls/{sid}.json"), 200);
        Assert.Equal("queued", stillQueued.GetProperty("status").GetString());
    }
}
