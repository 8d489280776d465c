using Telephony.Twiml.Interpreting;
using Telephony.Twiml.Model;
using static Telephony.Twiml.Tests.Interpreting.CallHarness;

namespace Telephony.Twiml.Tests.Interpreting;

/// <summary>
/// A Dial noun's url (whisper / call screening) as the interpreter sees it: on the caller's side the url resolves against
/// the document; on the called party's side the whisper runs with the whisper verbs, and its end means "connect".
/// </summary>
public sealed class WhisperConformanceTests : IAsyncDisposable
{
    private static readonly InterpreterOptions WhisperOptions = new() { EndOfDocumentHangsUp = false };
    private readonly CallHarness _call = new();

    public ValueTask DisposeAsync() => _call.DisposeAsync();

    [Fact]
    public async Task A_noun_url_resolves_against_the_document_and_keeps_its_method()
    {
        _call.Voice("<Dial><Number url=\"whisper?who=sales\" method=\"GET\">+15550001111</Number><Sip>sip:bob@example.com</Sip><Client url=\"https://other.example/screen\">alice</Client></Dial>");

        var outcome = await _call.RunAsync();

        var targets = Assert.Single(_call.Session!.Dials).Targets;
        Assert.Equal(_call.App.Url("/whisper?who=sales"), targets[0].Url);
        Assert.Equal("GET", targets[0].Method);
        Assert.Null(targets[1].Url);
        Assert.Equal("https://other.example/screen", targets[2].Url);
        Assert.Empty(outcome.Notifications);
    }

    [Theory]
    [InlineData("ftp://example.com/whisper")]
    [InlineData("mailto:agent@example.com")]
    public async Task A_noun_url_that_is_not_http_is_reported_as_11100_and_kept_so_its_leg_is_not_connected_unscreened(string url)
    {
        _call.Voice($"<Dial><Number url=\"{url}\">+15550001111</Number></Dial>");

        var outcome = await _call.RunAsync();

        var notification = Assert.Single(outcome.Notifications);
        Assert.Equal(TwimlErrorCodes.InvalidUrlFormat, notification.Code);
        Assert.Equal(url, notification.Url);
        Assert.Equal(url, Assert.Single(Assert.Single(_call.Session!.Dials).Targets).Url);
    }

    [Fact]
    public async Task A_whisper_that_runs_out_of_verbs_ends_without_hanging_up_the_called_party()
    {
        _call.Voice("<Say>You have a call from sales</Say>");

        var outcome = await _call.RunAsync(answered: true, options: WhisperOptions, verbs: VerbRegistry.Whisper);

        Assert.Equal(CallInterpreter.EndOfDocument, outcome.EndReason);
        Assert.Equal(["say You have a call from sales"], _call.Heard);
        Assert.False(_call.Session!.HungUp);
    }

    [Fact]
    public async Task A_screening_Gather_answered_with_an_empty_document_ends_without_hanging_up()
    {
        _call.Voice("<Gather numDigits=\"1\" action=\"/accepted\"><Say>Press 1 to accept</Say></Gather><Hangup/>").Serve("/accepted", string.Empty);

        var outcome = await _call.RunAsync([Press(1, "1")], answered: true, options: WhisperOptions, verbs: VerbRegistry.Whisper);

        Assert.Equal("1", Assert.Single(_call.App.For("/accepted")).Param("Digits"));
        Assert.Equal(CallInterpreter.EndOfDocument, outcome.EndReason);
        Assert.False(_call.Session!.HungUp);
    }

    [Fact]
    public async Task A_screening_Gather_without_a_key_falls_through_to_Hangup()
    {
        _call.Voice("<Gather numDigits=\"1\" timeout=\"3\" action=\"/accepted\"><Say>Press 1 to accept</Say></Gather><Hangup/>");

        var outcome = await _call.RunAsync(answered: true, options: WhisperOptions, verbs: VerbRegistry.Whisper);

        Assert.Equal("hangup-verb", outcome.EndReason);
        Assert.True(_call.Session!.HungUp);
        Assert.Empty(_call.App.For("/accepted"));
    }

    [Fact]
    public async Task Dial_inside_a_whisper_is_refused_with_13201_and_the_called_party_hears_the_application_error()
    {
        _call.Voice("<Say>One moment</Say><Dial>+15550002222</Dial><Say>never</Say>");

        var outcome = await _call.RunAsync(answered: true, options: WhisperOptions, verbs: VerbRegistry.Whisper);

        Assert.Equal(TwimlErrorCodes.DialInDialCallSegment, Assert.Single(outcome.Notifications).Code);
        Assert.Equal(["say One moment", "say We are sorry, an application error has occurred. Goodbye.", "hangup"], _call.Heard);
        Assert.Empty(_call.Session!.Dials);
    }

    [Fact]
    public async Task Outside_a_whisper_the_end_of_the_document_still_hangs_up()
    {
        _call.Voice("<Say>Goodbye</Say>");

        var outcome = await _call.RunAsync(answered: true);

        Assert.Equal(CallInterpreter.EndOfDocument, outcome.EndReason);
        Assert.Equal(["say Goodbye", "hangup"], _call.Heard);
    }
}
