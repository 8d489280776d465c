using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Core.Calls;
using Telephony.Core.Messaging;
using Telephony.Core.Webhooks;
using Telephony.Functions.Functions;
using Telephony.Functions.Hosting;
using Telephony.Functions.Tests.Nodes;
using Telephony.Testing;

namespace Telephony.Functions.Tests.Callbacks;

[Collection(CallbacksCollection.Name)]
public sealed class DeliverCallbacksTests(CallbacksFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_requested_event_arrives_signed_complete_and_in_order_even_when_the_queue_reverses_them()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/status", _ => WebhookAnswer.Ok());
        var tenant = await fixture.CreateTenantAsync();
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, "https://app.example/voice",
            ("StatusCallback", app.Url("/status")), ("StatusCallbackEvent", "initiated"), ("StatusCallbackEvent", "ringing"),
            ("StatusCallbackEvent", "answered"), ("StatusCallbackEvent", "completed"));

        await fixture.DriveAsync(tenant.Sid, callSid, CallStatus.Ringing, CallStatus.InProgress, CallStatus.Completed);
        await fixture.PumpUntilAsync(() => Task.FromResult(app.For("/status").Length >= 4), Timeout, newestFirst: true);

        var received = app.For("/status");
        Assert.Equal(["0", "1", "2", "3"], received.Select(r => r["SequenceNumber"]));
        Assert.Equal(["initiated", "ringing", "in-progress", "completed"], received.Select(r => r["CallStatus"]));
        foreach (var request in received)
        {
            Assert.True(RequestSignature.Validate(tenant.AuthToken, request.Signature, request.Url, request.Form), "invalid X-Twilio-Signature");
            Assert.Equal(callSid, request["CallSid"]);
            Assert.Equal(tenant.Sid, request["AccountSid"]);
            Assert.Equal("2010-04-01", request["ApiVersion"]);
            Assert.Equal("outbound-api", request["Direction"]);
            Assert.Equal("+15550001111", request["To"]);
            Assert.Equal("+15550001111", request["Called"]);
            Assert.Equal("+15559990000", request["From"]);
            Assert.Equal("+15559990000", request["Caller"]);
            Assert.Equal("call-progress-events", request["CallbackSource"]);
            Assert.True(DateTimeOffset.TryParseExact(request["Timestamp"], "ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out _), request["Timestamp"]);
        }

        Assert.Null(received[2]["CallDuration"]);
        Assert.NotNull(received[3]["CallDuration"]);
        Assert.NotNull(received[3]["Duration"]);
    }

    [Fact]
    public async Task Without_StatusCallbackEvent_only_completed_is_sent_as_Twilio_does()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/status", _ => WebhookAnswer.Ok());
        var tenant = await fixture.CreateTenantAsync();
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, "https://app.example/voice", ("StatusCallback", app.Url("/status")));

        await fixture.DriveAsync(tenant.Sid, callSid, CallStatus.Ringing, CallStatus.Busy);
        await fixture.PumpUntilAsync(() => Task.FromResult(app.For("/status").Length >= 1), Timeout);

        var only = Assert.Single(app.For("/status"));
        Assert.Equal("busy", only["CallStatus"]);
        Assert.Equal("0", only["SequenceNumber"]);
        Assert.Equal("0", only["CallDuration"]);
    }

    [Fact]
    public async Task Server_errors_are_retried_and_later_events_wait_for_the_earlier_one()
    {
        await using var app = new LoopbackWebhookServer();
        var failuresLeft = 2;
        app.Map("/flaky", request => request["SequenceNumber"] == "0" && Interlocked.Decrement(ref failuresLeft) >= 0
            ? WebhookAnswer.Text(500, "text/plain", "down")
            : WebhookAnswer.Ok());
        var tenant = await fixture.CreateTenantAsync();
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, "https://app.example/voice",
            ("StatusCallback", app.Url("/flaky")), ("StatusCallbackEvent", "answered"), ("StatusCallbackEvent", "completed"));

        await fixture.DriveAsync(tenant.Sid, callSid, CallStatus.InProgress, CallStatus.Completed);
        await fixture.PumpUntilAsync(() => Task.FromResult(app.For("/flaky").Length >= 4), Timeout);

        Assert.Equal(["0", "0", "0", "1"], app.For("/flaky").Select(r => r["SequenceNumber"]));
        Assert.DoesNotContain(await fixture.Events.ListAsync(tenant.Sid, callSid), e => e.Type == "callback-failed");
    }

    [Fact]
    public async Task After_the_last_attempt_the_failure_is_recorded_on_the_call_and_the_next_event_goes_on()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/dead", request => request["SequenceNumber"] == "0" ? WebhookAnswer.Text(503, "text/plain", "no") : WebhookAnswer.Ok());
        var tenant = await fixture.CreateTenantAsync();
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, "https://app.example/voice",
            ("StatusCallback", app.Url("/dead")), ("StatusCallbackEvent", "answered"), ("StatusCallbackEvent", "completed"));

        await fixture.DriveAsync(tenant.Sid, callSid, CallStatus.InProgress, CallStatus.Completed);
        await fixture.PumpUntilAsync(() => Task.FromResult(app.For("/dead").Length >= CallbacksFixture.MaxAttempts + 1), Timeout);

        Assert.Equal([.. Enumerable.Repeat("0", CallbacksFixture.MaxAttempts), "1"], app.For("/dead").Select(r => r["SequenceNumber"]));
        var failed = Assert.Single(await fixture.Events.ListAsync(tenant.Sid, callSid), e => e.Type == "callback-failed");
        Assert.StartsWith("11200 answered POST " + app.Url("/dead"), failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_callback_url_is_recorded_as_a_connection_failure()
    {
        var tenant = await fixture.CreateTenantAsync();
        var closedPort = FreePorts.Tcp();
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, "https://app.example/voice", ("StatusCallback", $"http://127.0.0.1:{closedPort}/status"));

        await fixture.DriveAsync(tenant.Sid, callSid, CallStatus.Canceled);
        await fixture.PumpUntilAsync(async () => (await fixture.Events.ListAsync(tenant.Sid, callSid)).Any(e => e.Type == "callback-failed"), Timeout);

        var failed = Assert.Single(await fixture.Events.ListAsync(tenant.Sid, callSid), e => e.Type == "callback-failed");
        Assert.StartsWith("11205 completed", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redelivered_message_of_an_already_delivered_event_is_not_sent_again()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/status", _ => WebhookAnswer.Ok());
        var tenant = await fixture.CreateTenantAsync();
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, "https://app.example/voice", ("StatusCallback", app.Url("/status")));
        await fixture.DriveAsync(tenant.Sid, callSid, CallStatus.InProgress, CallStatus.Completed);
        var queue = fixture.Storage.Queue(QueueNames.Callbacks);
        var original = (await queue.PeekMessagesAsync(32)).Value.Single(m => m.Body.ToString().Contains(callSid, StringComparison.Ordinal)).Body.ToString();
        await fixture.PumpUntilAsync(() => Task.FromResult(app.For("/status").Length >= 1), Timeout);

        await queue.SendMessageAsync(original);
        await fixture.PumpUntilAsync(async () => (await queue.PeekMessagesAsync(1)).Value.Length == 0, Timeout);

        Assert.Single(app.For("/status"));
    }

    [Fact]
    public async Task A_callback_whose_writer_died_before_committing_is_never_sent_and_the_change_that_took_its_place_is()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/status", _ => WebhookAnswer.Ok());
        var tenant = await fixture.CreateTenantAsync();
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, "https://app.example/voice",
            ("StatusCallback", app.Url("/status")), ("StatusCallbackEvent", "answered"), ("StatusCallbackEvent", "completed"));
        await fixture.DriveAsync(tenant.Sid, callSid, CallStatus.Ringing);
        var ringing = (await fixture.Calls.GetAsync(tenant.Sid, callSid))!;

        // A node answers, queues "answered" and dies before committing; the call is then failed by whoever finds it.
        await Assert.ThrowsAnyAsync<Exception>(() => fixture.DyingWriter().UpdateAsync(ringing, c => CallTransitions.ChangeStatus(c, CallStatus.InProgress, DateTimeOffset.UtcNow)));
        await fixture.Calls.UpdateAsync(tenant.Sid, callSid, c => CallTransitions.ChangeStatus(c, CallStatus.Failed, DateTimeOffset.UtcNow));
        await fixture.PumpUntilAsync(async () => !await HasMessagesAsync(callSid), Timeout, newestFirst: true);

        var only = Assert.Single(app.For("/status"));
        Assert.Equal(("failed", "0"), (only["CallStatus"], only["SequenceNumber"]));
    }

    [Fact]
    public async Task A_callback_whose_event_never_appears_waits_for_it_and_is_then_dropped()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/status", _ => WebhookAnswer.Ok());
        var tenant = await fixture.CreateTenantAsync();
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, "https://app.example/voice",
            ("StatusCallback", app.Url("/status")), ("StatusCallbackEvent", "answered"));
        await fixture.DriveAsync(tenant.Sid, callSid, CallStatus.Ringing);
        var ringing = (await fixture.Calls.GetAsync(tenant.Sid, callSid))!;

        await Assert.ThrowsAnyAsync<Exception>(() => fixture.DyingWriter().UpdateAsync(ringing, c => CallTransitions.ChangeStatus(c, CallStatus.InProgress, DateTimeOffset.UtcNow)));
        var orphan = (await fixture.Storage.Queue(QueueNames.Callbacks).PeekMessagesAsync(32)).Value
            .Select(m => MessageJson.Deserialize<Telephony.Core.Callbacks.CallbackMessage>(m.Body.ToString())).Single(m => m.CallSid == callSid);
        await fixture.PumpUntilAsync(async () => !await HasMessagesAsync(callSid), Timeout);

        // Nobody committed that event: nothing reached the tenant, and the message was kept until the wait limit.
        Assert.Empty(app.For("/status"));
        Assert.True(DateTimeOffset.UtcNow >= orphan.CreatedAt + CallbacksFixture.CommitWaitLimit, "dropped before the commit wait limit");
        Assert.Equal(CallStatus.Ringing, (await fixture.Calls.GetAsync(tenant.Sid, callSid))!.Status);
    }

    [Fact]
    public async Task A_GET_status_callback_carries_the_parameters_in_a_signed_query()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/status", _ => WebhookAnswer.Ok());
        var tenant = await fixture.CreateTenantAsync();
        var callSid = await NodeApiFixture.CreateCallAsync(tenant, "https://app.example/voice",
            ("StatusCallback", app.Url("/status?tenant=1")), ("StatusCallbackMethod", "GET"));

        await fixture.DriveAsync(tenant.Sid, callSid, CallStatus.InProgress, CallStatus.Completed);
        await fixture.PumpUntilAsync(() => Task.FromResult(app.For("/status").Length >= 1), Timeout);

        var request = Assert.Single(app.For("/status"));
        Assert.Equal("GET", request.Method);
        Assert.Equal("1", request["tenant"]);
        Assert.Equal("completed", request["CallStatus"]);
        Assert.True(RequestSignature.Validate(tenant.AuthToken, request.Signature, request.Url, null), "invalid X-Twilio-Signature on the GET");
    }

    private async Task<bool> HasMessagesAsync(string callSid)
    {
        // Peek sees only visible messages; a message waiting out its re-check delay counts in the approximate count.
        var queue = fixture.Storage.Queue(QueueNames.Callbacks);
        var visible = (await queue.PeekMessagesAsync(32)).Value;
        return visible.Any(m => m.Body.ToString().Contains(callSid, StringComparison.Ordinal))
            || (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount > visible.Length;
    }

    [Fact]
    public async Task A_malformed_message_fails_the_invocation_so_the_host_moves_it_to_poison()
    {
        using var scope = fixture.App.Services.CreateScope();
        var function = scope.ServiceProvider.GetRequiredService<DeliverCallbacksFunction>();

        await Assert.ThrowsAsync<JsonException>(() => function.RunAsync(
            new QueueTriggerMessage(DeliverCallbacksFunction.Name, "{\"callSid\":", "id", 1, null, null, null, null),
            CancellationToken.None));
    }
}
