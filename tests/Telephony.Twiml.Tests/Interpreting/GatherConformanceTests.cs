using Telephony.Twiml.Interpreting;
using static Telephony.Twiml.Tests.Interpreting.CallHarness;

namespace Telephony.Twiml.Tests.Interpreting;

public sealed class GatherConformanceTests : IAsyncDisposable
{
    private readonly CallHarness _call = new();

    public ValueTask DisposeAsync() => _call.DisposeAsync();

    [Theory]
    //          attributes                          caller digits (at 1s)  expected Digits  FinishedOnKey
    [InlineData("", "12#", "12", "#")]
    [InlineData("numDigits=\"2\"", "123", "12", "")]
    [InlineData("finishOnKey=\"*\"", "45*6", "45", "*")]
    [InlineData("finishOnKey=\"\"", "7#8", "7#8", "")]
    [InlineData("numDigits=\"1\" finishOnKey=\"\"", "#", "#", "")]
    public async Task Input_goes_to_action_with_Digits_and_FinishedOnKey(string attributes, string pressed, string digits, string finishedOnKey)
    {
        _call.Voice($"<Gather action=\"/menu\" {attributes}><Say>Press something</Say></Gather><Say>unreachable</Say>")
            .Serve("/menu", "<Hangup/>");

        await _call.RunAsync([Press(1, pressed)]);

        var action = Assert.Single(_call.App.For("/menu"));
        Assert.Equal(digits, action.Param("Digits"));
        Assert.Equal(finishedOnKey, action.Param("FinishedOnKey"));
        Assert.Equal("in-progress", action.Param("CallStatus"));
        Assert.DoesNotContain("say unreachable", _call.Heard);
    }

    [Fact]
    public async Task No_input_falls_through_to_the_next_verb_after_the_timeout()
    {
        _call.Voice("<Gather action=\"/menu\" timeout=\"3\"><Say>Press</Say></Gather><Say>Nothing pressed</Say>");

        var outcome = await _call.RunAsync();

        Assert.Empty(_call.App.For("/menu"));
        Assert.Equal(["say Press", "say Nothing pressed", "hangup"], _call.Heard);
        var digits = Assert.Single(_call.Events.Events, e => e.Type == CallEventTypes.Digits);
        Assert.Equal(TimeSpan.FromSeconds(0.4 + 3), digits.At);
        Assert.Equal(("completed", "end-of-document"), (outcome.Status, outcome.EndReason));
    }

    [Fact]
    public async Task Finish_key_alone_is_empty_input_and_falls_through()
    {
        _call.Voice("<Gather action=\"/menu\"/><Say>Nothing entered</Say>");

        await _call.RunAsync([Press(1, "#")]);

        Assert.Empty(_call.App.For("/menu"));
        Assert.Equal(["say Nothing entered", "hangup"], _call.Heard);
        Assert.Equal(TimeSpan.FromSeconds(1), Assert.Single(_call.Events.Events, e => e.Type == CallEventTypes.Digits).At);
    }

    [Fact]
    public async Task ActionOnEmptyResult_posts_empty_digits()
    {
        _call.Voice("<Gather action=\"/menu\" actionOnEmptyResult=\"true\"/><Say>unreachable</Say>").Serve("/menu", "<Say>empty</Say>");

        await _call.RunAsync();

        Assert.Equal(string.Empty, Assert.Single(_call.App.For("/menu")).Param("Digits"));
        Assert.Equal(["say empty", "hangup"], _call.Heard);
    }

    [Fact]
    public async Task Timeout_applies_between_digits()
    {
        _call.Voice("<Gather action=\"/menu\" timeout=\"5\"/>").Serve("/menu", "<Hangup/>");

        await _call.RunAsync([Press(1, "1"), Press(4, "2"), Press(20, "3")]);

        Assert.Equal("12", Assert.Single(_call.App.For("/menu")).Param("Digits"));
        Assert.Equal(TimeSpan.FromSeconds(9), Assert.Single(_call.Events.Events, e => e.Type == CallEventTypes.Digits).At);
    }

    [Fact]
    public async Task A_key_barges_in_and_skips_the_remaining_prompts()
    {
        _call.Voice("<Gather action=\"/menu\" numDigits=\"1\"><Say>one two three four five six</Say><Play>/long.mp3</Play></Gather>").Serve("/menu", "<Hangup/>");

        await _call.RunAsync([Press(1, "3")]);

        Assert.Equal("3", Assert.Single(_call.App.For("/menu")).Param("Digits"));
        Assert.DoesNotContain(_call.Heard, h => h.StartsWith("play", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_bargeIn_prompts_play_out_and_keys_pressed_during_them_are_not_input()
    {
        _call.Voice("<Gather action=\"/menu\" bargeIn=\"false\" timeout=\"2\"><Say>one two three four five six</Say></Gather><Say>fell through</Say>");

        await _call.RunAsync([Press(1, "3")]);

        Assert.Empty(_call.App.For("/menu"));
        Assert.Contains("say fell through", _call.Heard);
    }

    [Fact]
    public async Task Keys_pressed_before_the_gather_are_discarded()
    {
        _call.Voice("<Say>Welcome to the service</Say><Gather action=\"/menu\" timeout=\"2\"/><Say>fell through</Say>");

        await _call.RunAsync([Press(0.5, "9")]);

        Assert.Empty(_call.App.For("/menu"));
    }

    [Fact]
    public async Task Default_action_is_the_current_document_with_its_method()
    {
        var round = 0;
        _call.App.Map("/voice", r => Fetching.AppAnswer.Xml(++round == 1
            ? "<Response><Gather numDigits=\"1\" method=\"GET\"/></Response>"
            : "<Response><Hangup/></Response>"));

        await _call.RunAsync([Press(1, "5")]);

        var requests = _call.App.For("/voice");
        Assert.Equal(2, requests.Length);
        Assert.Equal(("POST", "GET", "5"), (requests[0].Method, requests[1].Method, requests[1].Param("Digits")));
    }

    [Fact]
    public async Task Caller_hanging_up_during_gather_ends_the_call_without_the_action()
    {
        _call.Voice("<Gather action=\"/menu\"/><Say>unreachable</Say>");

        var outcome = await _call.RunAsync([Press(1, "12"), HangUp(2)]);

        Assert.Empty(_call.App.For("/menu"));
        Assert.Equal("caller-hung-up", outcome.EndReason);
    }
}
