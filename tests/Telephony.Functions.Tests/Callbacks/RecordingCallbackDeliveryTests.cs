using Telephony.Core.Callbacks;
using Telephony.Core.Ids;
using Telephony.Core.Messaging;
using Telephony.Core.Webhooks;
using Telephony.Testing;

namespace Telephony.Functions.Tests.Callbacks;

/// <summary>deliver-callbacks with a recording's callbacks: its own ordered stream, signed like status callbacks.</summary>
[Collection(CallbacksCollection.Name)]
public sealed class RecordingCallbackDeliveryTests(CallbacksFixture fixture)
{
    [Fact]
    public async Task Recording_callbacks_arrive_signed_and_in_order_on_their_own_stream()
    {
        await using var app = new LoopbackWebhookServer();
        app.Map("/recording", _ => WebhookAnswer.Ok());
        var tenant = await fixture.CreateTenantAsync();
        var callSid = Sid.NewTimeOrdered(Sid.CallPrefix, DateTimeOffset.UtcNow);
        var recordingSid = Sid.NewTimeOrdered("RE", DateTimeOffset.UtcNow);
        var report = new RecordingStatusReport(tenant.Sid, callSid, recordingSid, "https://api.example/rec", "RecordVerb", DateTimeOffset.UtcNow, 1, 4);
        var queue = new MessageQueue(fixture.Storage);

        // Queued (and read) completed first: deliver-callbacks still sends in-progress first. The call has
        // no status callbacks at all (its status stream is at 0), which must not hold the recording stream.
        await queue.SendAsync(QueueNames.Callbacks,
            RecordingStatusCallbacks.Create(report, app.Url("/recording"), "POST", RecordingStatusCallbacks.Completed, 1, DateTimeOffset.UtcNow));
        await queue.SendAsync(QueueNames.Callbacks,
            RecordingStatusCallbacks.Create(report, app.Url("/recording"), "POST", RecordingStatusCallbacks.InProgress, 0, DateTimeOffset.UtcNow));

        await fixture.PumpUntilAsync(() => Task.FromResult(app.For("/recording").Length >= 2), TimeSpan.FromSeconds(60));

        var received = app.For("/recording");
        Assert.Equal(["in-progress", "completed"], received.Select(r => r["RecordingStatus"]));
        Assert.All(received, r => Assert.True(RequestSignature.Validate(tenant.AuthToken, r.Signature, r.Url, r.Form), "signature"));
        Assert.Equal("4", received[1]["RecordingDuration"]);
    }
}
