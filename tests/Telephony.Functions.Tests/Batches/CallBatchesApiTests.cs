using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Core.Admission;
using Telephony.Core.Calls;
using Telephony.Core.Messaging;
using Telephony.Functions.Functions;
using Telephony.Functions.Hosting;
using Telephony.Functions.Tests.Api;
using static Telephony.Functions.Tests.Api.ApiFixture;

namespace Telephony.Functions.Tests.Batches;

/// <summary>A collection of its own: a private Azurite whose call-requests and dispatch queues only these tests use.</summary>
[CollectionDefinition(Name)]
public sealed class BatchCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "batches";
}

[Collection(BatchCollection.Name)]
public sealed class CallBatchesApiTests(ApiFixture api)
{
    private static string BatchesPath(Tenant tenant) => $"/v1/Accounts/{tenant.Sid}/CallBatches";

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    private static StringContent JsonBody(string text) => new(text, Encoding.UTF8, "application/json");

    private static string CsvRows(int count, int firstNumber = 0)
    {
        var text = new StringBuilder("\uFEFFTo,From,Url,StatusCallbackEvent\r\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"+1555{firstNumber + i:D7},+15559990000,\"https://app.example/voice?row={i},x\",initiated completed\r\n");
        }

        return text.ToString();
    }

    [Fact]
    public async Task A_csv_batch_of_2000_rows_creates_every_call_with_its_batch_sid_and_reports_bad_rows_by_line()
    {
        var tenant = await api.CreateTenantAsync();
        var csv = CsvRows(1000) + "not-a-number,+15559990000,https://app.example/voice,\r\n" + CsvRows(1000, 5000)[(CsvRows(0).Length)..]
            + "+15550000001,+15559990000,ftp://bad.example/,\r\n";
        Assert.True(Encoding.UTF8.GetByteCount(csv) > 64 * 1024, "the body must be larger than the API's general 64 KiB cap");

        var created = await Json(await tenant.Client.PostAsync(BatchesPath(tenant), Csv(csv)), 201);

        var sid = created.GetProperty("sid").GetString()!;
        Assert.StartsWith("CB", sid, StringComparison.Ordinal);
        Assert.Equal(2000, created.GetProperty("call_count").GetInt32());
        Assert.Equal(2, created.GetProperty("rejected_count").GetInt32());
        Assert.Equal("accepted", created.GetProperty("status").GetString());
        Assert.Equal(2000, created.GetProperty("counts").GetProperty("queued").GetInt32());
        Assert.Equal(2000, created.GetProperty("eta_seconds").GetInt64()); // 2000 queued calls at the default 1 call/s
        var errors = created.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([(1001, 1002, 21211), (2002, 2003, 21205)], errors.Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("line").GetInt32(), e.GetProperty("code").GetInt32())));

        // Every call exists as a normal Call resource carrying the batch sid; the Calls list filters on it.
        var calls = new List<JsonElement>();
        string? next = $"/2010-04-01/Accounts/{tenant.Sid}/Calls.json?BatchSid={sid}&PageSize=1000";
        while (next is not null)
        {
            var page = await Json(await tenant.Client.GetAsync(next), 200);
            calls.AddRange(page.GetProperty("calls").EnumerateArray());
            next = page.GetProperty("next_page_uri").GetString();
        }

        Assert.Equal(2000, calls.Count);
        Assert.All(calls, c => Assert.Equal((sid, "queued"), (c.GetProperty("batch_sid").GetString(), c.GetProperty("status").GetString())));
        Assert.Equal(2000, calls.Select(c => c.GetProperty("to").GetString()).Distinct().Count());
        var one = await Json(await tenant.Client.GetAsync($"/2010-04-01/Accounts/{tenant.Sid}/Calls/{calls[0].GetProperty("sid").GetString()}.json"), 200);
        Assert.Equal(sid, one.GetProperty("batch_sid").GetString());

        var fetched = await Json(await tenant.Client.GetAsync($"{BatchesPath(tenant)}/{sid}"), 200);
        Assert.Equal(2000, fetched.GetProperty("counts").GetProperty("queued").GetInt32());
        Assert.True(fetched.GetProperty("upload_complete").GetBoolean());
    }

    [Fact]
    public async Task Admit_calls_paces_batch_calls_one_slot_apart_and_holds_a_chunk_while_the_queued_cap_is_full()
    {
        var tenant = await api.CreateTenantAsync();
        using var admin = api.Admin();
        await Json(await admin.PostAsync($"/v1/Accounts/{tenant.Sid}/Limits", Form(("CallsPerSecond", "0.05"), ("MaxQueuedCalls", "120"))), 200);
        var rows = Enumerable.Range(0, 150).Select(i => new Dictionary<string, object>
        {
            ["To"] = $"+1555{i:D7}",
            ["From"] = "+15559990000",
            ["Twiml"] = "<Response><Say>hi</Say></Response>",
            ["Timeout"] = 20,
        });
        var created = await Json(await tenant.Client.PostAsync(BatchesPath(tenant), JsonBody(JsonSerializer.Serialize(rows))), 201);
        var sid = created.GetProperty("sid").GetString()!;
        Assert.Equal(150, created.GetProperty("call_count").GetInt32());

        var chunks = await TakeBatchMessagesAsync(sid, 2);
        Assert.Equal([100, 50], chunks.Select(c => c.CallSids.Count).Order().Reverse());
        var before = DateTimeOffset.UtcNow;
        foreach (var chunk in chunks.OrderByDescending(c => c.CallSids.Count))
        {
            await RunAdmitCallsAsync(chunk);
        }

        // The first chunk (an idle tenant) took 100 slots 20 s apart in one pacing write; the second would
        // exceed the cap of 120 waiting calls and went back on call-requests, delayed, instead of dispatch.
        var pacing = await new AdmissionStore(api.Storage).GetPacingAsync(tenant.Sid);
        Assert.Equal(100, pacing.AdmittedTotal);
        Assert.InRange(pacing.NextSlot - before, TimeSpan.FromSeconds(1990), TimeSpan.FromSeconds(2010));

        // Each call is its own dispatch message, invisible until its slot: only the first one is visible now.
        var visible = await ReceiveForAccountAsync(QueueNames.DispatchFor(tenant.Sid), tenant.Sid);
        var first = Assert.Single(visible);
        Assert.Contains(first.CallSid, chunks.Single(c => c.CallSids.Count == 100).CallSids);
    }

    [Fact]
    public async Task Cancel_cancels_the_queued_calls_and_leaves_an_answered_one_alone()
    {
        var tenant = await api.CreateTenantAsync();
        var created = await Json(await tenant.Client.PostAsync(BatchesPath(tenant), Csv(CsvRows(250))), 201);
        var sid = created.GetProperty("sid").GetString()!;
        var chunks = await TakeBatchMessagesAsync(sid, 3);

        // One call is live: a node took it and it was answered.
        var store = api.App.Services.GetRequiredService<CallStore>();
        var live = chunks[0].CallSids[7];
        await store.UpdateAsync(tenant.Sid, live, c => CallTransitions.ChangeStatus(c with { NodeId = "node-1" }, CallStatus.Ringing, DateTimeOffset.UtcNow));
        await store.UpdateAsync(tenant.Sid, live, c => CallTransitions.ChangeStatus(c, CallStatus.InProgress, DateTimeOffset.UtcNow));

        var canceled = await Json(await tenant.Client.PostAsync($"{BatchesPath(tenant)}/{sid}", Form(("Status", "canceled"))), 200);
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, canceled.GetProperty("eta_seconds").ValueKind);

        // admit-calls cancels page by page (each page hands the rest to a new message); the chunks of a canceled batch are not dispatched.
        var handled = 0;
        for (var work = await TakeBatchMessagesAsync(sid, 1, CallBatchMessage.CancelKind); work.Count > 0; work = await TakeBatchMessagesAsync(sid, null, CallBatchMessage.CancelKind))
        {
            await RunAdmitCallsAsync(work[0]);
            handled++;
        }

        Assert.Equal(3, handled); // 249 queued calls in pages of 100
        foreach (var chunk in chunks)
        {
            await RunAdmitCallsAsync(chunk);
        }

        var fetched = await Json(await tenant.Client.GetAsync($"{BatchesPath(tenant)}/{sid}"), 200);
        var counts = fetched.GetProperty("counts");
        Assert.Equal((249, 1, 0), (counts.GetProperty("canceled").GetInt32(), counts.GetProperty("in-progress").GetInt32(), counts.GetProperty("queued").GetInt32()));
        Assert.Equal(CallStatus.InProgress, (await store.GetAsync(tenant.Sid, live))!.Status);
        Assert.Empty(await ReceiveForAccountAsync(QueueNames.DispatchFor(tenant.Sid), tenant.Sid));

        // Canceling again changes nothing and queues no more work.
        await Json(await tenant.Client.PostAsync($"{BatchesPath(tenant)}/{sid}", Form(("Status", "canceled"))), 200);
        Assert.Empty(await TakeBatchMessagesAsync(sid, 0, CallBatchMessage.CancelKind));
        await TwilioError(await tenant.Client.PostAsync($"{BatchesPath(tenant)}/{sid}", Form(("Status", "completed"))), 400, 20001);
    }

    [Fact]
    public async Task Another_account_cannot_see_or_cancel_a_batch_and_the_list_is_paged_newest_first()
    {
        var owner = await api.CreateTenantAsync();
        var other = await api.CreateTenantAsync();
        var older = (await Json(await owner.Client.PostAsync(BatchesPath(owner), Csv(CsvRows(3))), 201)).GetProperty("sid").GetString()!;
        var newer = (await Json(await owner.Client.PostAsync(BatchesPath(owner), Csv(CsvRows(2))), 201)).GetProperty("sid").GetString()!;

        await TwilioError(await other.Client.GetAsync($"{BatchesPath(other)}/{newer}"), 404, 20404);
        await TwilioError(await other.Client.PostAsync($"{BatchesPath(other)}/{newer}", Form(("Status", "canceled"))), 404, 20404);
        await TwilioError(await other.Client.GetAsync($"{BatchesPath(owner)}/{newer}"), 401, 20003);
        Assert.Empty((await Json(await other.Client.GetAsync(BatchesPath(other)), 200)).GetProperty("call_batches").EnumerateArray());

        var first = await Json(await owner.Client.GetAsync(BatchesPath(owner) + "?PageSize=1"), 200);
        Assert.Equal(newer, Assert.Single(first.GetProperty("call_batches").EnumerateArray()).GetProperty("sid").GetString());
        Assert.Equal("call_batches", first.GetProperty("meta").GetProperty("key").GetString());
        var second = await Json(await owner.Client.GetAsync(first.GetProperty("meta").GetProperty("next_page_url").GetString()), 200);
        var item = Assert.Single(second.GetProperty("call_batches").EnumerateArray());
        Assert.Equal(older, item.GetProperty("sid").GetString());
        Assert.Equal(3, item.GetProperty("call_count").GetInt32());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("meta").GetProperty("next_page_url").ValueKind);
    }

    [Fact]
    public async Task Bodies_without_a_usable_row_or_header_are_refused_whole_with_twilio_errors()
    {
        var tenant = await api.CreateTenantAsync();
        var none = await TwilioError(
            await tenant.Client.PostAsync(BatchesPath(tenant), Csv("To,From,Url\n+15550001111,+15559990000,\n,+15559990000,https://a.example/\n")), 400, 20001);
        Assert.Equal(
            [(1, 2, 21205), (2, 3, 21201)],
            none.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("line").GetInt32(), e.GetProperty("code").GetInt32())));

        var amd = await TwilioError(await tenant.Client.PostAsync(BatchesPath(tenant), Csv("To,From,Url,MachineDetection\n")), 400, 20001);
        Assert.Contains("MachineDetection", amd.GetProperty("message").GetString(), StringComparison.Ordinal);
        var json = await TwilioError(await tenant.Client.PostAsync(BatchesPath(tenant), JsonBody("""[{"To":"+15550001111"}]""")), 400, 20001);
        Assert.Null(Assert.Single(json.GetProperty("errors").EnumerateArray()).GetProperty("line").GetString());

        using var xml = new StringContent("<calls/>", Encoding.UTF8);
        xml.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
        await TwilioError(await tenant.Client.PostAsync(BatchesPath(tenant), xml), 415, 20415);
        Assert.Empty((await Json(await tenant.Client.GetAsync(BatchesPath(tenant)), 200)).GetProperty("call_batches").EnumerateArray());
    }

    private async Task RunAdmitCallsAsync(CallBatchMessage message)
    {
        using var scope = api.App.Services.CreateScope();
        var function = scope.ServiceProvider.GetRequiredService<AdmitCallsFunction>();
        await function.RunAsync(
            new QueueTriggerMessage(AdmitCallsFunction.Name, MessageJson.Serialize(message), Guid.NewGuid().ToString(), 1, null, null, null, null),
            CancellationToken.None);
    }

    /// <summary>
    /// Takes (and deletes) this batch's visible work messages of one kind from call-requests; waits for
    /// <paramref name="expected"/> of them and asserts there are no more (null: whatever is there).
    /// </summary>
    private async Task<List<CallBatchMessage>> TakeBatchMessagesAsync(string batchSid, int? expected, string kind = CallBatchMessage.ChunkKind)
    {
        var queue = api.Storage.Queue(QueueNames.CallRequests);
        var found = new List<CallBatchMessage>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        do
        {
            QueueMessage[] messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(1), deadline.Token)).Value;
            foreach (var message in messages)
            {
                var body = message.Body.ToString();
                if (body.Contains(batchSid, StringComparison.Ordinal) && MessageJson.Deserialize<CallBatchMessage>(body) is { } work && work.Kind == kind)
                {
                    found.Add(work);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, deadline.Token);
                }
            }

            if (messages.Length == 0 && found.Count >= (expected ?? 0))
            {
                break;
            }
        }
        while (!deadline.IsCancellationRequested);

        Assert.True(expected is null || found.Count == expected, $"expected {expected} {kind} messages of {batchSid}, found {found.Count}");
        return found;
    }

    private async Task<List<CallRequestMessage>> ReceiveForAccountAsync(string queueName, string accountSid)
    {
        var queue = api.Storage.Queue(queueName);
        await queue.CreateIfNotExistsAsync();
        var result = new List<CallRequestMessage>();
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value;
            if (messages.Length == 0)
            {
                return result;
            }

            result.AddRange(messages.Select(m => MessageJson.Deserialize<CallRequestMessage>(m.Body.ToString())).Where(m => m.AccountSid == accountSid));
        }
    }
}
