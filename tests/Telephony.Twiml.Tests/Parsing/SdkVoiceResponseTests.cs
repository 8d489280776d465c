using System.Text.Json;
using Telephony.Twiml.Model;
using Telephony.Twiml.Parsing;
using Telephony.Twiml.Tests.Sdk;
using Record = Telephony.Twiml.Model.Record;

namespace Telephony.Twiml.Tests.Parsing;

/// <summary>TwiML produced by the official twilio SDK's VoiceResponse, for every verb and noun, parses to the expected model.</summary>
public sealed class SdkVoiceResponseTests : IClassFixture<SdkVoiceResponseTests.SdkDocuments>
{
    private readonly SdkDocuments _documents;

    public SdkVoiceResponseTests(SdkDocuments documents) => _documents = documents;

    public sealed class SdkDocuments : IAsyncLifetime
    {
        public Dictionary<string, string> Xml { get; private set; } = [];

        public async Task InitializeAsync() =>
            Xml = JsonSerializer.Deserialize<Dictionary<string, string>>(await NodeScript.RunAsync("voice-response.js", string.Empty))!;

        public Task DisposeAsync() => Task.CompletedTask;
    }

    private T Single<T>(string name)
        where T : TwimlVerb
    {
        var result = TwimlParser.Parse(_documents.Xml[name]);
        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Empty(result.Program!.Warnings);
        return Assert.IsType<T>(Assert.Single(result.Program.Verbs));
    }

    [Fact]
    public void Every_sdk_case_parses_without_warnings()
    {
        Assert.True(_documents.Xml.Count >= 29);
        foreach (var (name, xml) in _documents.Xml)
        {
            var result = TwimlParser.Parse(xml);
            Assert.True(result.Succeeded, name + ": " + result.Error?.Message);
            Assert.True(result.Program!.Warnings.Count == 0, name + ": " + string.Join("; ", result.Program.Warnings.Select(w => w.Message)));
        }
    }

    [Fact]
    public void Say_attributes_text_and_defaults()
    {
        var say = Single<Say>("say");
        Assert.Equal(("Hello & welcome", "alice", "en-GB", 2, (string?)null), (say.Text, say.Voice, say.Language, say.Loop, say.Ssml));
        var plain = Single<Say>("say-defaults");
        Assert.Equal(("man", "en-US", 1), (plain.Voice, plain.Language, plain.Loop));
    }

    [Fact]
    public void Say_keeps_ssml_children_as_markup()
    {
        var say = Single<Say>("say-ssml");
        Assert.Equal("Polly.Joanna", say.Voice);
        Assert.NotNull(say.Ssml);
        Assert.Contains("<break strength=\"x-weak\" time=\"100ms\"/>", say.Ssml, StringComparison.Ordinal);
        Assert.Contains("<emphasis level=\"moderate\">there</emphasis>", say.Ssml, StringComparison.Ordinal);
        Assert.Contains("<say-as interpret-as=\"spell-out\">ABC</say-as>", say.Ssml, StringComparison.Ordinal);
    }

    [Fact]
    public void Play_pause_and_digits()
    {
        var play = Single<Play>("play");
        Assert.Equal(("https://api.example.com/cowbell.mp3", 0), (play.Url, play.Loop));
        Assert.Equal("wwww3", Single<Play>("play-digits").Digits);
        Assert.Equal(7, Single<Pause>("pause").Length);
    }

    [Fact]
    public void Gather_every_attribute_and_nested_prompts()
    {
        var g = Single<Gather>("gather");
        Assert.Equal(("/menu", "GET", 9, "*", (int?)4, "dtmf speech"), (g.Action, g.Method, g.Timeout, g.FinishOnKey, g.NumDigits, g.Input));
        Assert.Equal((true, "auto", false, "fr-FR", "yes, no", false), (g.ActionOnEmptyResult, g.SpeechTimeout, g.BargeIn, g.Language, g.Hints, g.ProfanityFilter));
        Assert.Equal(("/partial", true, "phone_call"), (g.PartialResultCallback, g.Enhanced, g.SpeechModel));
        Assert.Collection(g.Prompts, p => Assert.IsType<Say>(p), p => Assert.IsType<Play>(p), p => Assert.Equal(2, Assert.IsType<Pause>(p).Length));
    }

    [Fact]
    public void Gather_defaults_match_twilio()
    {
        var g = Single<Gather>("gather-defaults");
        Assert.Equal(((string?)null, "POST", 5, "#", (int?)null, "dtmf", false), (g.Action, g.Method, g.Timeout, g.FinishOnKey, g.NumDigits, g.Input, g.ActionOnEmptyResult));
        Assert.True(g.BargeIn);
        Assert.Empty(g.Prompts);
    }

    [Fact]
    public void Record_attributes_and_defaults()
    {
        var r = Single<Record>("record");
        Assert.Equal(("/rec", "GET", 0, "*", 20, false, "do-not-trim"), (r.Action, r.Method, r.Timeout, r.FinishOnKey, r.MaxLength, r.PlayBeep, r.Trim));
        Assert.Equal(("/rs", "GET", "in-progress completed", true, "/tr"), (r.RecordingStatusCallback, r.RecordingStatusCallbackMethod, r.RecordingStatusCallbackEvent, r.Transcribe, r.TranscribeCallback));
        var d = Single<Record>("record-defaults");
        Assert.Equal(((string?)null, "POST", 5, "1234567890*#", 3600, true, "trim-silence", false), (d.Action, d.Method, d.Timeout, d.FinishOnKey, d.MaxLength, d.PlayBeep, d.Trim, d.Transcribe));
    }

    [Fact]
    public void Dial_attributes_and_number_nouns()
    {
        var d = Single<Dial>("dial-number");
        Assert.Equal(("/dialed", "GET", 12, "+15550001111", "record-from-answer-dual"), (d.Action, d.Method, d.Timeout, d.CallerId, d.Record));
        Assert.Equal((true, 600, true, "de", true, "trim-silence", "/drs"), (d.HangupOnStar, d.TimeLimit, d.AnswerOnBridge, d.RingTone, d.Sequential, d.Trim, d.RecordingStatusCallback));
        Assert.Collection(
            d.Targets,
            t =>
            {
                var n = Assert.IsType<DialNumber>(t);
                Assert.Equal(("+15551234567", "ww12", "/whisper", "GET", "/ns", "initiated answered"), (n.Number, n.SendDigits, n.Url, n.Method, n.StatusCallback, n.StatusCallbackEvent));
            },
            t => Assert.Equal(("+15557654321", "completed"), (Assert.IsType<DialNumber>(t).Number, t.StatusCallbackEvent)));
    }

    [Fact]
    public void Dial_defaults_and_bare_number()
    {
        var d = Single<Dial>("dial-bare");
        Assert.Equal(((string?)null, "POST", 30, "do-not-record", false, 14400, false, false), (d.Action, d.Method, d.Timeout, d.Record, d.HangupOnStar, d.TimeLimit, d.AnswerOnBridge, d.Sequential));
        Assert.Equal("+15550009999", Assert.IsType<DialNumber>(Assert.Single(d.Targets)).Number);
    }

    [Fact]
    public void Dial_sip_client_conference_queue_nouns()
    {
        var sip = Assert.IsType<DialSip>(Single<Dial>("dial-sip").Targets[0]);
        Assert.Equal(("sip:alice@example.com;transport=tcp", "u", "p"), (sip.Uri, sip.Username, sip.Password));
        var client = Assert.IsType<DialClient>(Single<Dial>("dial-client").Targets[0]);
        Assert.Equal("alice", client.Identity);
        Assert.Equal("sales", client.Parameters["Skill"]);
        var conference = Assert.IsType<DialConference>(Single<Dial>("dial-conference").Targets[0]);
        Assert.Equal(("Room 1", true, "onEnter", false, true, "/wait", 10, "record-from-start"), (conference.RoomName, conference.Muted, conference.Beep, conference.StartConferenceOnEnter, conference.EndConferenceOnExit, conference.WaitUrl, conference.MaxParticipants, conference.Record));
        var queue = Assert.IsType<DialQueue>(Single<Dial>("dial-queue").Targets[0]);
        Assert.Equal(("support", "/about", "WR1"), (queue.QueueName, queue.Url, queue.ReservationSid));
    }

    [Fact]
    public void Call_control_verbs()
    {
        Single<Hangup>("hangup");
        Single<Leave>("leave");
        Assert.Equal("busy", Single<Reject>("reject").Reason);
        Assert.Equal("rejected", Single<Reject>("reject-defaults").Reason);
        var redirect = Single<Redirect>("redirect");
        Assert.Equal(("https://x.example/next?a=1&b=2", "GET"), (redirect.Url, redirect.Method));
    }

    [Fact]
    public void Enqueue_refer_sms()
    {
        var e = Single<Enqueue>("enqueue");
        Assert.Equal(("support", "/left", "/hold", "GET", (int?)20), (e.QueueName, e.Action, e.WaitUrl, e.WaitUrlMethod, e.MaxQueueSize));
        var task = Single<Enqueue>("enqueue-task");
        Assert.Equal(("WW1", """{"lang":"es"}""", (int?)5, (int?)30), (task.WorkflowSid, task.Task, task.TaskPriority, task.TaskTimeout));
        var refer = Single<Refer>("refer");
        Assert.Equal(("/refer-done", "sip:bob@example.com"), (refer.Action, refer.SipUri));
        var sms = Single<Sms>("sms");
        Assert.Equal(("Thanks", "+15551112222", "+15553334444", "/sms"), (sms.Body, sms.To, sms.From, sms.Action));
    }

    [Fact]
    public void Connect_start_stop_pay_keep_their_nouns()
    {
        var connect = Single<Connect>("connect-stream");
        Assert.Equal("/after", connect.Action);
        var stream = Assert.Single(connect.Nouns);
        Assert.Equal(("Stream", "wss://x.example/media", "s1"), (stream.Name, stream.Attribute("url"), stream.Attribute("name")));
        Assert.Equal("v", Assert.Single(stream.Children).Attribute("value"));
        Assert.Equal("both_tracks", Assert.Single(Single<Start>("start-stream").Nouns).Attribute("track"));
        Assert.Equal("s1", Assert.Single(Single<Stop>("stop-stream").Nouns).Attribute("name"));
        var pay = Single<Pay>("pay");
        Assert.Equal(("10.00", "Stripe", "/paid", 2, 7, "usd", "reusable"), (pay.ChargeAmount, pay.PaymentConnector, pay.Action, pay.MaxAttempts, pay.Timeout, pay.Currency, pay.TokenType));
    }
}
