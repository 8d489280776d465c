using Telephony.Twiml.Interpreting;
using static Telephony.Twiml.Tests.Interpreting.CallHarness;

namespace Telephony.Twiml.Tests.Interpreting;

public sealed class RecordConformanceTests : IAsyncDisposable
{
    private readonly CallHarness _call = new();

    public ValueTask DisposeAsync() => _call.DisposeAsync();

    [Fact]
    public async Task Silence_after_speech_ends_the_recording_and_posts_it_to_action()
    {
        _call.Voice("<Record action=\"/recorded\" timeout=\"3\"/><Say>unreachable</Say>").Serve("/recorded", "<Hangup/>");

        await _call.RunAsync([Speak(1, 4)]);

        var action = Assert.Single(_call.App.For("/recorded"));
        Assert.Equal("4", action.Param("RecordingDuration"));
        Assert.StartsWith("RE", action.Param("RecordingSid"), StringComparison.Ordinal);
        Assert.EndsWith(action.Param("RecordingSid")!, action.Param("RecordingUrl"), StringComparison.Ordinal);
        Assert.Equal(string.Empty, action.Param("Digits"));
        Assert.Equal(TimeSpan.FromSeconds(8), Assert.Single(_call.Events.Events, e => e.Type == CallEventTypes.Record).At);
        Assert.Contains("beep", _call.Heard);
        Assert.DoesNotContain("say unreachable", _call.Heard);
    }

    [Fact]
    public async Task An_empty_recording_skips_action_and_continues()
    {
        _call.Voice("<Record action=\"/recorded\" timeout=\"2\" playBeep=\"false\"/><Say>Nothing recorded</Say>");

        await _call.RunAsync();

        Assert.Empty(_call.App.For("/recorded"));
        Assert.Equal(["say Nothing recorded", "hangup"], _call.Heard);
    }

    [Fact]
    public async Task A_finish_key_ends_it_and_is_sent_as_Digits()
    {
        _call.Voice("<Record action=\"/recorded\" finishOnKey=\"#\"/>").Serve("/recorded", "<Hangup/>");

        await _call.RunAsync([Speak(1, 30), Press(3, "#")]);

        var action = Assert.Single(_call.App.For("/recorded"));
        Assert.Equal(("#", "2"), (action.Param("Digits"), action.Param("RecordingDuration")));
    }

    [Fact]
    public async Task MaxLength_bounds_the_recording()
    {
        _call.Voice("<Record action=\"/recorded\" maxLength=\"10\" trim=\"do-not-trim\" playBeep=\"false\"/>").Serve("/recorded", "<Hangup/>");

        await _call.RunAsync([Speak(0, 60)]);

        Assert.Equal("10", Assert.Single(_call.App.For("/recorded")).Param("RecordingDuration"));
    }

    [Fact]
    public async Task Caller_hanging_up_still_reports_the_recording_with_Digits_hangup()
    {
        _call.Voice("<Record action=\"/recorded\"/><Say>unreachable</Say>").Serve("/recorded", "<Say>ignored</Say>");

        var outcome = await _call.RunAsync([Speak(1, 30), HangUp(6)]);

        var action = Assert.Single(_call.App.For("/recorded"));
        Assert.Equal(("hangup", "completed"), (action.Param("Digits"), action.Param("CallStatus")));
        Assert.DoesNotContain("say ignored", _call.Heard);
        Assert.Equal("caller-hung-up", outcome.EndReason);
    }

    [Fact]
    public async Task Default_action_is_the_current_document()
    {
        var round = 0;
        _call.App.Map("/voice", _ => Fetching.AppAnswer.Xml(++round == 1 ? "<Response><Record/></Response>" : "<Response><Hangup/></Response>"));

        await _call.RunAsync([Speak(1, 2)]);

        var second = _call.App.For("/voice")[1];
        Assert.Equal("2", second.Param("RecordingDuration"));
    }
}
