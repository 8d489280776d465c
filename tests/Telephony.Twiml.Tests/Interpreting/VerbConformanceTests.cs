using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;
using static Telephony.Twiml.Tests.Interpreting.CallHarness;

namespace Telephony.Twiml.Tests.Interpreting;

public sealed class VerbConformanceTests : IAsyncDisposable
{
    private readonly CallHarness _call = new();

    public ValueTask DisposeAsync() => _call.DisposeAsync();

    [Fact]
    public async Task The_first_request_carries_twilio_standard_parameters()
    {
        _call.Voice("<Hangup/>");

        await _call.RunAsync();

        var first = Assert.Single(_call.App.For("/voice"));
        Assert.Equal(("ringing", "inbound", "2010-04-01", "+15551230000", "+15557654321"),
            (first.Param("CallStatus"), first.Param("Direction"), first.Param("ApiVersion"), first.Param("From"), first.Param("To")));
        Assert.Equal(("+15551230000", "+15557654321"), (first.Param("Caller"), first.Param("Called")));
        Assert.StartsWith("AC", first.Param("AccountSid"), StringComparison.Ordinal);
        Assert.StartsWith("CA", first.Param("CallSid"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<Say loop=\"3\">Hi</Say>", new[] { "say Hi", "say Hi", "say Hi" })]
    [InlineData("<Play loop=\"2\">https://cdn.example/a.mp3</Play>", new[] { "play https://cdn.example/a.mp3", "play https://cdn.example/a.mp3" })]
    [InlineData("<Play digits=\"ww12#\"/>", new[] { "send ww12#" })]
    [InlineData("<Pause length=\"4\"/>", new[] { "pause 4" })]
    [InlineData("<Pause length=\"0\"/>", new string[0])]
    [InlineData("<Leave/>", new string[0])]
    public async Task Prompt_verbs_play_as_many_times_as_loop_says(string verbs, string[] heard)
    {
        _call.Voice(verbs);

        await _call.RunAsync();

        Assert.Equal([.. heard, "hangup"], _call.Heard);
    }

    [Fact]
    public async Task Relative_play_urls_resolve_against_the_document()
    {
        _call.Voice("<Play>sounds/welcome.wav</Play>");

        await _call.RunAsync();

        Assert.Equal("play " + _call.App.Url("/sounds/welcome.wav"), _call.Heard[0]);
    }

    [Fact]
    public async Task Loop_zero_repeats_until_the_caller_hangs_up()
    {
        _call.Voice("<Play loop=\"0\">https://cdn.example/hold.mp3</Play><Say>unreachable</Say>");

        var outcome = await _call.RunAsync([HangUp(47)]);

        Assert.Equal(10, _call.Heard.Count(h => h.StartsWith("play", StringComparison.Ordinal)));
        Assert.Equal(TimeSpan.FromSeconds(47), outcome.Duration);
        Assert.Equal("caller-hung-up", outcome.EndReason);
    }

    [Fact]
    public async Task Hangup_ends_the_call_and_later_verbs_never_run()
    {
        _call.Voice("<Say>Bye</Say><Hangup/><Say>unreachable</Say>");

        var outcome = await _call.RunAsync();

        Assert.Equal(["say Bye", "hangup"], _call.Heard);
        Assert.Equal(("completed", "hangup-verb"), (outcome.Status, outcome.EndReason));
    }

    [Theory]
    [InlineData("<Reject/>", "rejected", "no-answer")]
    [InlineData("<Reject reason=\"busy\"/>", "busy", "busy")]
    public async Task Reject_refuses_without_answering(string verb, string reason, string status)
    {
        _call.Voice(verb);

        var outcome = await _call.RunAsync();

        Assert.False(_call.Session!.IsAnswered);
        Assert.Equal(reason, _call.Session.RejectedWith);
        Assert.Equal(status, outcome.Status);
    }

    [Fact]
    public async Task Any_answer_but_a_leading_reject_answers_the_call_even_an_empty_one()
    {
        _call.Voice(string.Empty);

        var outcome = await _call.RunAsync();

        Assert.True(_call.Session!.IsAnswered);
        Assert.Equal(("completed", "end-of-document"), (outcome.Status, outcome.EndReason));
    }

    [Fact]
    public async Task Reject_after_answer_hangs_up_with_a_warning()
    {
        _call.Voice("<Say>Hi</Say><Reject/>");

        var outcome = await _call.RunAsync();

        Assert.Null(_call.Session!.RejectedWith);
        Assert.Equal(("completed", "reject-after-answer"), (outcome.Status, outcome.EndReason));
        Assert.Equal(TwimlErrorCodes.SchemaValidationWarning, Assert.Single(outcome.Notifications).Code);
    }

    [Fact]
    public async Task Redirect_fetches_the_url_with_its_method_and_standard_parameters()
    {
        _call.Voice("<Redirect method=\"GET\">/next?step=2</Redirect><Say>unreachable</Say>").Serve("/next", "<Say>Next</Say>");

        await _call.RunAsync();

        var next = Assert.Single(_call.App.For("/next"));
        Assert.Equal(("GET", "2", "in-progress"), (next.Method, next.Param("step"), next.Param("CallStatus")));
        Assert.Equal(["say Next", "hangup"], _call.Heard);
    }

    [Fact]
    public async Task Redirect_loops_are_bounded()
    {
        _call.Voice("<Redirect>/voice</Redirect>");

        var outcome = await _call.RunAsync();

        Assert.Equal(50, _call.App.For("/voice").Length);
        Assert.Contains(outcome.Notifications, n => n.Message.Contains("Redirect loop", StringComparison.Ordinal));
        Assert.Equal("application-error", outcome.EndReason);
    }

    [Theory]
    [InlineData("<Enqueue>support</Enqueue>", "<Enqueue>")]
    [InlineData("<Connect><Stream url=\"wss://x.example/s\"/></Connect>", "<Connect>")]
    [InlineData("<Pay chargeAmount=\"1.00\"/>", "<Pay>")]
    [InlineData("<Refer><Sip>sip:a@b.example</Sip></Refer>", "<Refer>")]
    [InlineData("<Sms>hi</Sms>", "<Sms>")]
    [InlineData("<Start><Stream url=\"wss://x.example/s\"/></Start>", "<Start>")]
    [InlineData("<Stop><Stream name=\"s\"/></Stop>", "<Stop>")]
    public async Task Unsupported_verbs_are_never_skipped_silently(string verb, string named)
    {
        _call.Voice("<Say>Before</Say>" + verb + "<Say>after</Say>");

        var outcome = await _call.RunAsync();

        var notification = Assert.Single(outcome.Notifications);
        Assert.Equal(TwimlErrorCodes.UnsupportedVerb, notification.Code);
        Assert.Contains(named, notification.Message, StringComparison.Ordinal);
        Assert.Equal(["say Before", "say We are sorry, an application error has occurred. Goodbye.", "hangup"], _call.Heard);
    }

    [Fact]
    public async Task A_failing_application_plays_the_error_message_and_hangs_up()
    {
        _call.App.Map("/voice", _ => Fetching.AppAnswer.Status(503));

        var outcome = await _call.RunAsync();

        Assert.Equal(TwimlErrorCodes.HttpRetrievalFailure, Assert.Single(outcome.Notifications).Code);
        Assert.Equal(["say We are sorry, an application error has occurred. Goodbye.", "hangup"], _call.Heard);
        Assert.Contains(_call.Events.Events, e => e.Type == CallEventTypes.Notification && e["code"] == "11200");
    }

    [Fact]
    public async Task The_fallback_url_serves_when_the_url_fails()
    {
        _call.App.Map("/voice", _ => Fetching.AppAnswer.Status(500));
        _call.Serve("/fallback", "<Say>Fallback</Say>");

        await _call.RunAsync(fallbackUrl: _call.App.Url("/fallback"));

        Assert.Equal(["say Fallback", "hangup"], _call.Heard);
        Assert.Equal("11200", Assert.Single(_call.App.For("/fallback")).Param("ErrorCode"));
    }

    [Fact]
    public async Task A_bad_action_document_ends_the_call_with_the_application_error()
    {
        _call.Voice("<Gather action=\"/menu\" numDigits=\"1\"/>");
        _call.App.Map("/menu", _ => Fetching.AppAnswer.Xml("<Response><Dance/></Response>"));

        var outcome = await _call.RunAsync([Press(1, "1")]);

        Assert.Equal(TwimlErrorCodes.SchemaValidationWarning, Assert.Single(outcome.Notifications).Code);
        Assert.Equal("application-error", outcome.EndReason);
    }

    [Fact]
    public async Task An_audio_answer_is_played_then_the_call_ends()
    {
        _call.App.Map("/voice", _ => new Fetching.AppAnswer(200, "audio/wav", [1, 2, 3]));

        await _call.RunAsync();

        Assert.Equal(["play " + _call.App.Url("/voice"), "hangup"], _call.Heard);
    }

    [Fact]
    public async Task Events_record_each_fetch_and_verb_on_the_call_clock()
    {
        _call.Voice("<Pause length=\"2\"/><Say>Hi</Say>");

        await _call.RunAsync();

        Assert.Equal(
            [("fetch", 0.0), ("verb", 0.0), ("verb", 2.0), ("hangup", 2.4)],
            _call.Events.Events.Select(e => (e.Type, Math.Round(e.At.TotalSeconds, 1))));
    }
}
