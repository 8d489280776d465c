using Telephony.Core.Calls;
using Telephony.Core.Errors;
using Telephony.Core.Ids;

namespace Telephony.Core.Tests;

public sealed class CallCreateParserTests
{
    private const string Account = "AC0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_minimal_call_is_queued_with_Twilio_defaults()
    {
        var call = CallCreateParser.Parse(Parameters.Of(("To", "+15551230001"), ("From", "+15551230002"), ("Url", "https://app.example/voice")), Account, Now);

        Assert.True(Sid.IsValid(call.Sid, Sid.CallPrefix));
        Assert.Equal(CallStatus.Queued, call.Status);
        Assert.Equal("POST", call.Instructions.Method);
        Assert.Equal(60, call.Options.Timeout);
        Assert.Equal(["completed"], call.Instructions.StatusCallbackEvents);
        Assert.Equal(Now, call.DateCreated);
    }

    [Fact]
    public void Every_supported_parameter_is_kept()
    {
        var call = CallCreateParser.Parse(
            Parameters.Of(
                ("To", "sip:bob@example.com"), ("From", "client:alice"), ("Twiml", "<Response><Say>hi</Say></Response>"),
                ("Method", "get"), ("FallbackUrl", "http://fb.example/x"), ("FallbackMethod", "GET"),
                ("StatusCallback", "https://cb.example/s"), ("StatusCallbackMethod", "GET"),
                ("StatusCallbackEvent", "initiated"), ("StatusCallbackEvent", "ringing answered"),
                ("Timeout", "600"), ("SendDigits", "1234#w*"), ("TimeLimit", "30"), ("Record", "true"),
                ("RecordingChannels", "dual"), ("RecordingStatusCallback", "https://cb.example/r"),
                ("RecordingStatusCallbackEvent", "in-progress"), ("RecordingTrack", "both"), ("Trim", "do-not-trim")),
            Account,
            Now);

        Assert.Equal("<Response><Say>hi</Say></Response>", call.Instructions.Twiml);
        Assert.Equal("GET", call.Instructions.Method);
        Assert.Equal(["initiated", "ringing", "answered"], call.Instructions.StatusCallbackEvents);
        Assert.Equal(600, call.Options.Timeout);
        Assert.Equal(30, call.Options.TimeLimit);
        Assert.True(call.Options.Record);
        Assert.Equal("dual", call.Options.RecordingChannels);
        Assert.Equal(["in-progress"], call.Options.RecordingStatusCallbackEvents);
    }

    [Theory]
    [InlineData(TwilioErrorCodes.MissingTo, "From", "+15551230002", "Url", "https://a.example/")]
    [InlineData(TwilioErrorCodes.MissingFrom, "To", "+15551230002", "Url", "https://a.example/")]
    public void Missing_To_or_From_get_their_Twilio_codes(int code, string n1, string v1, string n2, string v2)
    {
        var e = Assert.Throws<TwilioException>(() => CallCreateParser.Parse(Parameters.Of((n1, v1), (n2, v2)), Account, Now));
        Assert.Equal(code, e.Error.Code);
        Assert.Equal(400, e.Error.Status);
    }

    [Theory]
    [InlineData("To", "5551234", TwilioErrorCodes.InvalidTo)]
    [InlineData("To", "client:", TwilioErrorCodes.InvalidTo)]
    [InlineData("To", "client:ali#ce", TwilioErrorCodes.InvalidTo)]
    [InlineData("To", "client:a|b", TwilioErrorCodes.InvalidTo)]
    [InlineData("From", "+0123", TwilioErrorCodes.InvalidFrom)]
    [InlineData("Url", "ftp://x.example/", TwilioErrorCodes.InvalidUrl)]
    [InlineData("Url", "not a url", TwilioErrorCodes.InvalidUrl)]
    [InlineData("Method", "PUT", TwilioErrorCodes.InvalidMethod)]
    [InlineData("Timeout", "601", TwilioErrorCodes.InvalidParameter)]
    [InlineData("Timeout", "abc", TwilioErrorCodes.InvalidParameter)]
    [InlineData("SendDigits", "12x", TwilioErrorCodes.InvalidParameter)]
    [InlineData("Record", "maybe", TwilioErrorCodes.InvalidParameter)]
    [InlineData("StatusCallbackEvent", "exploded", TwilioErrorCodes.InvalidParameter)]
    public void Bad_values_are_refused(string name, string value, int code)
    {
        var pairs = new Dictionary<string, string> { ["To"] = "+15551230001", ["From"] = "+15551230002", ["Url"] = "https://a.example/" };
        pairs[name] = value;

        var e = Assert.Throws<TwilioException>(() => CallCreateParser.Parse(Parameters.Of(pairs.Select(p => (p.Key, p.Value)).ToArray()), Account, Now));

        Assert.Equal(code, e.Error.Code);
    }

    [Fact]
    public void A_parameter_not_implemented_is_refused_by_name()
    {
        var e = Assert.Throws<TwilioException>(() => CallCreateParser.Parse(
            Parameters.Of(("To", "+15551230001"), ("From", "+15551230002"), ("Url", "https://a.example/"), ("MachineDetection", "Enable")),
            Account,
            Now));

        Assert.Contains("MachineDetection", e.Message, StringComparison.Ordinal);
        Assert.Equal(400, e.Error.Status);
    }

    [Fact]
    public void Neither_Url_nor_Twiml_is_refused()
    {
        var e = Assert.Throws<TwilioException>(() => CallCreateParser.Parse(Parameters.Of(("To", "+15551230001"), ("From", "+15551230002")), Account, Now));
        Assert.Equal(TwilioErrorCodes.InvalidUrl, e.Error.Code);
    }
}
