using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Telephony.Twiml.Model;
using Telephony.Twiml.Parsing;

namespace Telephony.Twiml.Tests.Parsing;

/// <summary>Malformed, hostile and random input gives the documented Twilio error, never another exception.</summary>
public sealed class HostileDocumentTests
{
    [Theory]
    [InlineData("")]
    [InlineData("not xml at all")]
    [InlineData("<Response><Say>unclosed</Response>")]
    [InlineData("<Response><Say>a</Say>")]
    [InlineData("<Response></Response><Response/>")]
    [InlineData("<Response attr=\"1\" attr=\"2\"/>")]
    [InlineData("<Response><Say>&unknown;</Say></Response>")]
    public void Malformed_documents_are_12100(string xml) =>
        Assert.Equal(TwimlErrorCodes.DocumentParseFailure, TwimlParser.Parse(xml).Error?.Code);

    [Fact]
    public void Wrong_root_is_12100() =>
        Assert.Equal(TwimlErrorCodes.DocumentParseFailure, TwimlParser.Parse("<Reply><Say>x</Say></Reply>").Error?.Code);

    [Fact]
    public void Dtd_and_external_entities_are_refused()
    {
        const string xxe = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><Response><Say>&x;</Say></Response>""";
        Assert.Equal(TwimlErrorCodes.DocumentParseFailure, TwimlParser.Parse(xxe).Error?.Code);
    }

    [Fact]
    public void Billion_laughs_is_refused_quickly()
    {
        var laughs = new StringBuilder("""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">""");
        for (var i = 1; i < 10; i++)
        {
            laughs.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? string.Empty : (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture))};", 10))}\">");
        }

        laughs.Append("]><Response><Say>&lol9;</Say></Response>");
        Assert.Equal(TwimlErrorCodes.DocumentParseFailure, TwimlParser.Parse(laughs.ToString()).Error?.Code);
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var deep = "<Response>" + string.Concat(Enumerable.Repeat("<Say>", 200)) + string.Concat(Enumerable.Repeat("</Say>", 200)) + "</Response>";
        var error = TwimlParser.Parse(deep).Error;
        Assert.Equal(TwimlErrorCodes.DocumentParseFailure, error?.Code);
        Assert.Contains("nested", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_elements_are_refused() =>
        Assert.Equal(TwimlErrorCodes.DocumentParseFailure,
            TwimlParser.Parse("<Response>" + string.Concat(Enumerable.Repeat("<Hangup/>", 5000)) + "</Response>").Error?.Code);

    [Fact]
    public void Ten_megabyte_body_is_11750()
    {
        var huge = "<Response><Say>" + new string('a', 10 * 1024 * 1024) + "</Say></Response>";
        Assert.Equal(TwimlErrorCodes.ResponseBodyTooLarge, TwimlParser.Parse(huge).Error?.Code);
    }

    [Theory]
    [InlineData("<Response><Dance/></Response>", "Dance")]
    [InlineData("<Response><Gather><Dial>+1555</Dial></Gather></Response>", "Dial")]
    [InlineData("<Response><Dial><Say>x</Say></Dial></Response>", "Say")]
    [InlineData("<Response><Redirect/></Response>", "Redirect")]
    [InlineData("<Response><Dial/></Response>", "Dial")]
    public void Schema_violations_are_12200_naming_the_element(string xml, string element)
    {
        var error = TwimlParser.Parse(xml).Error;
        Assert.Equal(TwimlErrorCodes.SchemaValidationWarning, error?.Code);
        Assert.Contains(element, error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<Response><Gather timeout=\"soon\"/></Response>")]
    [InlineData("<Response><Gather numDigits=\"-1\"/></Response>")]
    [InlineData("<Response><Gather method=\"PUT\"/></Response>")]
    [InlineData("<Response><Gather finishOnKey=\"x\"/></Response>")]
    [InlineData("<Response><Say loop=\"many\">x</Say></Response>")]
    [InlineData("<Response><Record playBeep=\"maybe\"/></Response>")]
    [InlineData("<Response><Reject reason=\"tired\"/></Response>")]
    public void Invalid_attribute_values_warn_and_use_the_default(string xml)
    {
        var result = TwimlParser.Parse(xml);
        Assert.True(result.Succeeded);
        var warning = Assert.Single(result.Program!.Warnings);
        Assert.Equal(TwimlErrorCodes.SchemaValidationWarning, warning.Code);
        Assert.Equal(TwimlProgram.Empty.Verbs.Count + 1, result.Program.Verbs.Count);
    }

    [Fact]
    public void Invalid_gather_values_fall_back_to_twilio_defaults()
    {
        var gather = (Gather)TwimlParser.Parse("<Response><Gather timeout=\"x\" method=\"PUT\" finishOnKey=\"ab\"/></Response>").Program!.Verbs[0];
        Assert.Equal((5, "POST", "#"), (gather.Timeout, gather.Method, gather.FinishOnKey));
    }

    [Fact]
    public void Empty_finish_on_key_disables_it_and_empty_response_is_a_valid_empty_program()
    {
        Assert.Equal(string.Empty, ((Gather)TwimlParser.Parse("<Response><Gather finishOnKey=\"\"/></Response>").Program!.Verbs[0]).FinishOnKey);
        Assert.Empty(TwimlParser.Parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>").Program!.Verbs);
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Random_strings_never_throw() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), s =>
        {
            var result = TwimlParser.Parse(s ?? string.Empty);
            return result.Succeeded || result.Error!.Code is TwimlErrorCodes.DocumentParseFailure or TwimlErrorCodes.SchemaValidationWarning;
        });

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Random_twiml_like_documents_never_throw()
    {
        var pieces = Gen.Elements(
            "<Say>", "</Say>", "<Gather numDigits=\"3\">", "</Gather>", "<Dial>", "</Dial>", "<Number>", "</Number>",
            "<Play loop=\"0\"/>", "<Pause length=\"x\"/>", "&amp;", "&", "<", ">", "\"", "text", "<Record/>", "<![CDATA[x]]>", "<!-- c -->");
        var documents = Gen.ListOf(pieces).Select(p => "<Response>" + string.Concat(p) + "</Response>");
        return Prop.ForAll(documents.ToArbitrary(), xml =>
        {
            var result = TwimlParser.Parse(xml);
            return result.Succeeded || result.Error!.Code is TwimlErrorCodes.DocumentParseFailure or TwimlErrorCodes.SchemaValidationWarning;
        });
    }
}
