using System.Text;
using Telephony.Core.Webhooks;

namespace Telephony.Twiml.Tests.Signing;

public sealed class RequestSignatureSdkTests
{
    private const string Token = "12345abcdef67890fedcba0987654321";

    public static TheoryData<string> Urls => new()
    {
        "https://example.com/voice",
        "https://example.com:8443/voice?tenant=a&x=1",
        "http://127.0.0.1:5123/twiml/answer?step=2",
        "https://example.com/voice?name=J%C3%BCrgen&empty=",
        "https://user:pw@example.com/ivr/menu",
    };

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task Form_post_signatures_pass_the_sdk_validateRequest(string url)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("CallSid", "CA" + new string('1', 32)),
            new("AccountSid", "AC" + new string('2', 32)),
            new("From", "+15551230000"),
            new("To", "+15557654321"),
            new("Digits", "1234#"),
            new("CallerName", "Zoë <O'Brien> & Co"),
            new("callStatus", "in-progress"),
            new("Empty", string.Empty),
        };
        var signature = RequestSignature.Compute(Token, url, parameters);

        var verdicts = await SdkSignatureCase.ValidateAsync(
        [
            new(Token, signature, url, SdkSignatureCase.FormParams(parameters), null),
            new(Token, signature, url, SdkSignatureCase.FormParams(parameters.Take(3)), null),
            new("another-token", signature, url, SdkSignatureCase.FormParams(parameters), null),
        ]);

        Assert.True(verdicts[0].Valid);
        Assert.Equal(verdicts[0].Expected, signature);
        Assert.False(verdicts[1].Valid);
        Assert.False(verdicts[2].Valid);
    }

    [Fact]
    public async Task Repeated_parameter_names_sign_like_the_sdk()
    {
        const string url = "https://example.com/status";
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("StatusCallbackEvent", "ringing"), new("StatusCallbackEvent", "answered"), new("A", "1"),
        };
        var signature = RequestSignature.Compute(Token, url, parameters);

        var verdicts = await SdkSignatureCase.ValidateAsync([new(Token, signature, url, SdkSignatureCase.FormParams(parameters), null)]);

        Assert.True(verdicts[0].Valid);
    }

    [Fact]
    public async Task Get_signatures_cover_the_query_and_pass_the_sdk()
    {
        const string url = "https://example.com:8080/voice?CallSid=CA1&From=%2B1555&Digits=12";
        var signature = RequestSignature.Compute(Token, url, null);

        var verdicts = await SdkSignatureCase.ValidateAsync([new(Token, signature, url, [], null)]);

        Assert.True(verdicts[0].Valid);
    }

    [Fact]
    public async Task Json_bodies_are_signed_through_bodySHA256_and_pass_validateRequestWithBody()
    {
        const string body = """{"CallSid":"CA1","Digits":"42","Text":"héllo"}""";
        var url = RequestSignature.AppendBodyHash("https://example.com:8443/events?tenant=1", Encoding.UTF8.GetBytes(body));
        var signature = RequestSignature.Compute(Token, url, null);

        var verdicts = await SdkSignatureCase.ValidateAsync(
        [
            new(Token, signature, url, null, body),
            new(Token, signature, url, null, body.Replace("42", "43", StringComparison.Ordinal)),
        ]);

        Assert.True(verdicts[0].Valid);
        Assert.False(verdicts[1].Valid);
        Assert.True(RequestSignature.ValidateWithBody(Token, signature, url, Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Validate_accepts_the_sdk_known_vector_and_the_url_with_or_without_default_port()
    {
        // Twilio's documented example: this token, URL and parameters give this signature.
        const string token = "12345";
        const string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        var parameters = new Dictionary<string, string>
        {
            ["CallSid"] = "CA1234567890ABCDE",
            ["Caller"] = "+12349013030",
            ["Digits"] = "1234",
            ["From"] = "+12349013030",
            ["To"] = "+18005551212",
        };

        var signature = RequestSignature.Compute(token, url, parameters);

        Assert.Equal("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", signature);
        Assert.True(RequestSignature.Validate(token, signature, "https://mycompany.com:443/myapp.php?foo=1&bar=2", parameters));
        Assert.False(RequestSignature.Validate(token, signature, url, new Dictionary<string, string>(parameters) { ["Digits"] = "1235" }));
        Assert.False(RequestSignature.Validate(token, null, url, parameters));
        Assert.False(RequestSignature.Validate(token, signature[..^2], url, parameters));
    }
}
