using Telephony.Core.Calls;
using Telephony.Core.Errors;

namespace Telephony.Core.Tests;

public sealed class CallUpdateTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private static CallRecord Call(CallStatus status, DateTimeOffset? started = null) => new()
    {
        Sid = "CA0123456789abcdef0123456789abcdef",
        AccountSid = "AC0123456789abcdef0123456789abcdef",
        To = "+15551230001",
        From = "+15551230002",
        Status = status,
        StartTime = started,
        DateCreated = Now.AddMinutes(-5),
        DateUpdated = Now.AddMinutes(-5),
        Instructions = new CallInstructions { Url = "https://a.example/first" },
    };

    [Theory]
    [InlineData(CallStatus.Queued, "canceled", CallStatus.Canceled)]
    [InlineData(CallStatus.Ringing, "canceled", CallStatus.Canceled)]
    [InlineData(CallStatus.Queued, "completed", CallStatus.Canceled)]
    [InlineData(CallStatus.InProgress, "completed", CallStatus.Completed)]
    public void Status_updates_follow_Twilio_rules(CallStatus from, string requested, CallStatus expected)
    {
        var change = CallUpdate.Parse(Parameters.Of(("Status", requested))).ApplyTo(Call(from, from == CallStatus.InProgress ? Now.AddSeconds(-42) : null), Now);

        Assert.NotNull(change);
        Assert.Equal(expected, change.Updated.Status);
        Assert.Equal(Now, change.Updated.EndTime);
        Assert.Equal(from == CallStatus.InProgress ? 42 : 0, change.Updated.Duration);
        Assert.Equal(CallEventTypes.StatusChanged, change.EventType);
    }

    [Fact]
    public void Canceling_an_answered_call_changes_nothing()
    {
        Assert.Null(CallUpdate.Parse(Parameters.Of(("Status", "canceled"))).ApplyTo(Call(CallStatus.InProgress, Now), Now));
    }

    [Theory]
    [InlineData(CallStatus.Completed)]
    [InlineData(CallStatus.Canceled)]
    [InlineData(CallStatus.Busy)]
    public void A_finished_call_refuses_updates_with_21220(CallStatus status)
    {
        var e = Assert.Throws<TwilioException>(() => CallUpdate.Parse(Parameters.Of(("Url", "https://a.example/next"))).ApplyTo(Call(status), Now));
        Assert.Equal(TwilioErrorCodes.InvalidCallState, e.Error.Code);
    }

    [Fact]
    public void Twiml_replaces_the_Url_and_is_a_redirect()
    {
        var change = CallUpdate.Parse(Parameters.Of(("Twiml", "<Response/>"))).ApplyTo(Call(CallStatus.InProgress, Now), Now);

        Assert.NotNull(change);
        Assert.Null(change.Updated.Instructions.Url);
        Assert.Equal("<Response/>", change.Updated.Instructions.Twiml);
        Assert.Equal(CallEventTypes.Redirected, change.EventType);
    }

    [Fact]
    public void Unknown_status_and_unknown_parameters_are_refused()
    {
        Assert.Equal(TwilioErrorCodes.InvalidParameter, Assert.Throws<TwilioException>(() => CallUpdate.Parse(Parameters.Of(("Status", "ringing")))).Error.Code);
        Assert.Contains("Foo", Assert.Throws<TwilioException>(() => CallUpdate.Parse(Parameters.Of(("Foo", "1")))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_state_machine_forbids_going_back()
    {
        Assert.False(CallStatuses.CanMove(CallStatus.InProgress, CallStatus.Ringing));
        Assert.False(CallStatuses.CanMove(CallStatus.Completed, CallStatus.InProgress));
        Assert.True(CallStatuses.CanMove(CallStatus.Queued, CallStatus.Ringing));
        Assert.Throws<InvalidOperationException>(() => CallTransitions.ChangeStatus(Call(CallStatus.Completed), CallStatus.InProgress, Now));
    }
}
