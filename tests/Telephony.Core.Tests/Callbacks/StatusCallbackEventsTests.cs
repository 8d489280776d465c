using Telephony.Core.Callbacks;
using Telephony.Core.Calls;

namespace Telephony.Core.Tests.Callbacks;

public sealed class StatusCallbackEventsTests
{
    [Theory]
    [InlineData(CallEventTypes.StatusChanged, CallStatus.Queued, "initiated", "initiated", "initiated")]
    [InlineData(CallEventTypes.StatusChanged, CallStatus.Ringing, "ringing", "ringing", "ringing")]
    [InlineData(CallEventTypes.StatusChanged, CallStatus.InProgress, "in-progress", "answered", "in-progress")]
    [InlineData(CallEventTypes.StatusChanged, CallStatus.Completed, "completed", "completed", "completed")]
    [InlineData(CallEventTypes.StatusChanged, CallStatus.Busy, "busy", "completed", "busy")]
    [InlineData(CallEventTypes.StatusChanged, CallStatus.NoAnswer, "no-answer", "completed", "no-answer")]
    [InlineData(CallEventTypes.StatusChanged, CallStatus.Failed, "failed", "completed", "failed")]
    [InlineData(CallEventTypes.StatusChanged, CallStatus.Canceled, "canceled", "completed", "canceled")]
    [InlineData(CallEventTypes.StatusChanged, CallStatus.Queued, "queued", null, null)]
    [InlineData(CallEventTypes.Redirected, CallStatus.InProgress, "https://a.example", null, null)]
    [InlineData(CallEventTypes.Created, CallStatus.Queued, null, null, null)]
    [InlineData("instructions-fetched", CallStatus.InProgress, "initial POST …", null, null)]
    public void Call_events_map_to_twilio_status_callback_events(string type, CallStatus status, string? detail, string? expected, string? callStatus)
    {
        var callEvent = new CallEvent
        {
            CallSid = "CA" + new string('0', 32),
            AccountSid = "AC" + new string('0', 32),
            Sequence = 2,
            Timestamp = DateTimeOffset.UnixEpoch,
            Type = type,
            Status = status,
            Detail = detail,
        };

        var name = StatusCallbackEvents.Of(callEvent);

        Assert.Equal(expected, name);
        if (name is not null)
        {
            Assert.Equal(callStatus, StatusCallbackEvents.CallStatusOf(callEvent, name));
        }
    }
}
