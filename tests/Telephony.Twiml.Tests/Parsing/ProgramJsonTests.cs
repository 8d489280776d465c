using System.Text.Json;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Model;
using Telephony.Twiml.Parsing;

namespace Telephony.Twiml.Tests.Parsing;

public sealed class ProgramJsonTests
{
    private const string EveryVerb = """
        <Response>
          <Say voice="alice" loop="2">Hi <break time="1s"/> there</Say>
          <Play digits="12"/><Pause length="3"/>
          <Gather action="/g" numDigits="2"><Say>Menu</Say><Play>/a.mp3</Play></Gather>
          <Record maxLength="20"/>
          <Dial action="/d" sequential="true"><Number sendDigits="1">+1555</Number><Sip username="u">sip:a@b</Sip>
            <Client><Identity>bob</Identity><Parameter name="k" value="v"/></Client><Conference muted="true">R</Conference><Queue>q</Queue></Dial>
          <Enqueue waitUrl="/w">support</Enqueue><Refer><Sip>sip:x@y</Sip></Refer><Sms to="+1">hi</Sms><Message>m</Message>
          <Connect><Stream url="wss://s"/></Connect><Start><Stream url="wss://s"/></Start><Stop><Stream name="n"/></Stop>
          <Pay chargeAmount="1.00"/><Leave/><Redirect method="GET">/r</Redirect><Reject reason="busy"/><Hangup/>
        </Response>
        """;

    [Fact]
    public void Programs_round_trip_through_json_with_every_verb_and_noun()
    {
        var program = TwimlParser.Parse(EveryVerb).Program!;

        var json = TwimlJson.Serialize(program);
        var back = TwimlJson.Deserialize(json)!;

        Assert.Equal(program.Verbs.Select(v => v.Name), back.Verbs.Select(v => v.Name));
        Assert.Equal(json, TwimlJson.Serialize(back));
        Assert.Contains("\"verb\":\"Gather\"", json, StringComparison.Ordinal);
        var dial = Assert.IsType<Dial>(back.Verbs.Single(v => v is Dial));
        Assert.Equal(["Number", "Sip", "Client", "Conference", "Queue"], dial.Targets.Select(t => t.Name));
        Assert.Equal("v", Assert.IsType<DialClient>(dial.Targets[2]).Parameters["k"]);
        Assert.Equal("Message", back.Verbs.OfType<Sms>().Last().Name);
        Assert.Equal(2, Assert.IsType<Say>(back.Verbs[0]).Loop);
    }

    [Fact]
    public void Fetch_results_cross_the_wire_with_program_and_notifications()
    {
        var program = TwimlParser.Parse("<Response><Gather numDigits=\"1\" timeout=\"x\"><Say>Hi</Say></Gather></Response>").Program!;
        var result = new FetchResult { Program = program, DocumentUrl = "https://app.example/ivr", Notifications = program.Warnings };

        var back = JsonSerializer.Deserialize<FetchResult>(JsonSerializer.Serialize(result, TwimlJson.Options), TwimlJson.Options)!;

        Assert.True(back.Succeeded);
        Assert.Equal("https://app.example/ivr", back.DocumentUrl);
        Assert.Equal(1, Assert.IsType<Gather>(Assert.Single(back.Program!.Verbs)).NumDigits);
        Assert.Equal(TwimlErrorCodes.SchemaValidationWarning, Assert.Single(back.Notifications).Code);
    }
}
