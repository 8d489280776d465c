using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Simulation;
using static Telephony.Twiml.Tests.Interpreting.CallHarness;

namespace Telephony.Twiml.Tests.Interpreting;

public sealed class DialConformanceTests : IAsyncDisposable
{
    private readonly CallHarness _call = new();

    public ValueTask DisposeAsync() => _call.DisposeAsync();

    [Fact]
    public async Task Without_action_the_next_verb_runs_after_the_dialed_party_hangs_up()
    {
        _call.Voice("<Dial>+15550001111</Dial><Say>Back from the call</Say>");

        var outcome = await _call.RunAsync(dial: new DialScript { AnswerAfter = TimeSpan.FromSeconds(2), HangupAfter = TimeSpan.FromSeconds(20) });

        Assert.Equal(["dial Number", "say Back from the call", "hangup"], _call.Heard);
        Assert.Equal(TimeSpan.FromSeconds(22 + 1.6), outcome.Duration);
    }

    [Theory]
    //          script outcome  answerAfter  dial timeout  DialCallStatus  bridged
    [InlineData("completed", 3, 30, "completed", true)]
    [InlineData("completed", 40, 30, "no-answer", false)]
    [InlineData("no-answer", 0, 12, "no-answer", false)]
    [InlineData("busy", 0, 30, "busy", false)]
    [InlineData("failed", 0, 30, "failed", false)]
    public async Task Action_receives_DialCallStatus_and_the_rest_is_unreachable(string scripted, int answerAfter, int timeout, string status, bool bridged)
    {
        _call.Voice($"<Dial action=\"/dialed\" timeout=\"{timeout}\"><Number>+15550001111</Number></Dial><Say>unreachable</Say>").Serve("/dialed", "<Hangup/>");

        await _call.RunAsync(dial: new DialScript { Outcome = scripted, AnswerAfter = TimeSpan.FromSeconds(answerAfter), HangupAfter = TimeSpan.FromSeconds(15) });

        var action = Assert.Single(_call.App.For("/dialed"));
        Assert.Equal(status, action.Param("DialCallStatus"));
        Assert.Equal(bridged ? "true" : "false", action.Param("DialBridged"));
        Assert.Equal(bridged ? "15" : null, action.Param("DialCallDuration"));
        Assert.StartsWith("CA", action.Param("DialCallSid"), StringComparison.Ordinal);
        Assert.DoesNotContain("say unreachable", _call.Heard);
    }

    [Fact]
    public async Task A_recorded_dial_reports_its_RecordingUrl_Sid_and_Duration()
    {
        _call.Voice("<Dial action=\"/dialed\" record=\"record-from-answer\">+15550001111</Dial>").Serve("/dialed", "<Hangup/>");

        await _call.RunAsync();

        var action = Assert.Single(_call.App.For("/dialed"));
        Assert.EndsWith("/Recordings/" + action.Param("RecordingSid"), action.Param("RecordingUrl"), StringComparison.Ordinal);
        Assert.StartsWith("RE", action.Param("RecordingSid"), StringComparison.Ordinal);
        Assert.Equal(action.Param("DialCallDuration"), action.Param("RecordingDuration"));
    }

    [Fact]
    public async Task An_unrecorded_dial_sends_no_recording_parameters()
    {
        _call.Voice("<Dial action=\"/dialed\">+15550001111</Dial>").Serve("/dialed", "<Hangup/>");

        await _call.RunAsync();

        var action = Assert.Single(_call.App.For("/dialed"));
        Assert.Null(action.Param("RecordingUrl"));
        Assert.Null(action.Param("RecordingSid"));
        Assert.Null(action.Param("RecordingDuration"));
    }

    [Fact]
    public async Task HangupOnStar_ends_the_bridge_and_timeLimit_bounds_it()
    {
        _call.Voice("<Dial action=\"/star\" hangupOnStar=\"true\">+15550001111</Dial>").Serve("/star", "<Dial action=\"/limit\" timeLimit=\"7\">+15550002222</Dial>")
            .Serve("/limit", "<Hangup/>");

        await _call.RunAsync([Press(10, "*")], new DialScript { AnswerAfter = TimeSpan.FromSeconds(2), HangupAfter = TimeSpan.FromSeconds(60) });

        Assert.Equal("8", Assert.Single(_call.App.For("/star")).Param("DialCallDuration"));
        Assert.Equal("7", Assert.Single(_call.App.For("/limit")).Param("DialCallDuration"));
    }

    [Fact]
    public async Task Caller_hanging_up_while_bridged_reports_to_action_with_call_completed()
    {
        _call.Voice("<Dial action=\"/dialed\">+15550001111</Dial>").Serve("/dialed", "<Say>ignored</Say>");

        var outcome = await _call.RunAsync([HangUp(8)], new DialScript { AnswerAfter = TimeSpan.FromSeconds(3), HangupAfter = TimeSpan.FromSeconds(60) });

        var action = Assert.Single(_call.App.For("/dialed"));
        Assert.Equal(("completed", "5", "completed"), (action.Param("DialCallStatus"), action.Param("DialCallDuration"), action.Param("CallStatus")));
        Assert.Equal("caller-hung-up", outcome.EndReason);
        Assert.DoesNotContain("say ignored", _call.Heard);
    }

    [Fact]
    public async Task Dial_conference_is_refused_with_a_notification_naming_it()
    {
        _call.Voice("<Say>Joining</Say><Dial><Conference>Room</Conference></Dial>");

        var outcome = await _call.RunAsync();

        var notification = Assert.Single(outcome.Notifications);
        Assert.Contains("<Dial><Conference>", notification.Message, StringComparison.Ordinal);
        Assert.Equal(["say Joining", "say We are sorry, an application error has occurred. Goodbye.", "hangup"], _call.Heard);
    }
}
