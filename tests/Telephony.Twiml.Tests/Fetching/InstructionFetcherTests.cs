using System.Text;
using Telephony.Core.Webhooks;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Model;
using Telephony.Twiml.Tests.Signing;

namespace Telephony.Twiml.Tests.Fetching;

public sealed class InstructionFetcherTests : IAsyncDisposable
{
    private const string Token = "f00dfeedbeefcafe0123456789abcdef";
    private const string Hello = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>Hello</Say></Response>";
    private readonly LoopbackAppServer _app = new();
    private readonly InstructionFetcher _fetcher = new(new InstructionFetcherOptions { AllowInternalAddresses = true });

    private static readonly KeyValuePair<string, string>[] CallParameters =
    [
        new("AccountSid", "AC" + new string('a', 32)),
        new("CallSid", "CA" + new string('b', 32)),
        new("From", "+15551230000"),
        new("To", "+15557654321"),
        new("CallStatus", "in-progress"),
        new("Direction", "inbound"),
        new("ApiVersion", "2010-04-01"),
        new("CallerName", "Zoë & Co"),
    ];

    public async ValueTask DisposeAsync()
    {
        _fetcher.Dispose();
        await _app.DisposeAsync();
    }

    private FetchRequest Request(string path, string method = "POST") =>
        new() { Url = _app.Url(path), Method = method, AuthToken = Token, Parameters = CallParameters };

    [Fact]
    public async Task Post_sends_form_parameters_signed_so_the_sdk_validator_accepts_them()
    {
        _app.MapTwiml("/voice", Hello);

        var result = await _fetcher.FetchAsync(Request("/voice?tenant=7"), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal("Hello", Assert.IsType<Say>(Assert.Single(result.Program!.Verbs)).Text);
        var seen = Assert.Single(_app.Requests);
        Assert.Equal("POST", seen.Method);
        Assert.Equal("Zoë & Co", seen.Param("CallerName"));
        Assert.Equal("7", seen.Query.Single(p => p.Key == "tenant").Value);
        Assert.Equal("TwilioProxy/1.1", seen.Header("User-Agent"));
        Assert.Equal(32, seen.Header("I-Twilio-Idempotency-Token")?.Length);
        var verdicts = await SdkSignatureCase.ValidateAsync(
            [new(Token, seen.Header(RequestSignature.HeaderName)!, seen.FullUrl, SdkSignatureCase.FormParams(seen.Form), null)]);
        Assert.True(verdicts[0].Valid);
        Assert.True(RequestSignature.Validate(Token, seen.Header(RequestSignature.HeaderName), seen.FullUrl, seen.Form));
    }

    [Theory]
    [InlineData("/voice?name=O'Brien&q=a b", "POST")]
    [InlineData("/voice?name=O'Brien&q=a b", "GET")]
    [InlineData("/v%C3%B6ice/caf%C3%A9?x=%2B1&y=~!*()", "POST")]
    [InlineData("/voice?multi=1&multi=2", "GET")]
    public async Task Urls_with_special_characters_are_signed_as_sent(string pathAndQuery, string method)
    {
        _app.Map(pathAndQuery.Split('?')[0], _ => AppAnswer.Xml(Hello));

        var result = await _fetcher.FetchAsync(Request(pathAndQuery, method), CancellationToken.None);

        var seen = Assert.Single(_app.Requests);
        var verdicts = await SdkSignatureCase.ValidateAsync(
            [new(Token, seen.Header(RequestSignature.HeaderName)!, seen.FullUrl, SdkSignatureCase.FormParams(seen.Form), null)]);
        Assert.True(verdicts[0].Valid, seen.FullUrl);
        Assert.True(result.Succeeded, result.Error?.Message);
    }

    [Fact]
    public async Task Url_credentials_become_basic_auth_and_stay_out_of_the_signed_url()
    {
        _app.MapTwiml("/secure", Hello);

        var result = await _fetcher.FetchAsync(Request("/secure") with { Url = $"http://twilio:s%3Acret@127.0.0.1:{_app.Port}/secure?x=1" }, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error?.Message);
        var seen = Assert.Single(_app.Requests);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("twilio:s:cret")), seen.Header("Authorization"));
        Assert.DoesNotContain("cret", result.DocumentUrl, StringComparison.Ordinal);
        var verdicts = await SdkSignatureCase.ValidateAsync(
            [new(Token, seen.Header(RequestSignature.HeaderName)!, seen.FullUrl, SdkSignatureCase.FormParams(seen.Form), null)]);
        Assert.True(verdicts[0].Valid);
    }

    [Fact]
    public async Task A_ten_megabyte_answer_is_cut_off_at_the_limit_as_11750()
    {
        var huge = new byte[10 * 1024 * 1024];
        Array.Fill(huge, (byte)'a');
        _app.Map("/huge", _ => new AppAnswer(200, "text/xml", huge));

        var result = await _fetcher.FetchAsync(Request("/huge"), CancellationToken.None);

        Assert.Equal(TwimlErrorCodes.ResponseBodyTooLarge, result.Error?.Code);
    }

    [Fact]
    public async Task Get_puts_parameters_in_the_query_after_the_existing_ones_and_signs_the_url()
    {
        _app.MapTwiml("/voice", Hello);

        var result = await _fetcher.FetchAsync(Request("/voice?tenant=7&x=a%20b", "GET"), CancellationToken.None);

        Assert.True(result.Succeeded, result.Error?.Message);
        var seen = Assert.Single(_app.Requests);
        Assert.Equal("GET", seen.Method);
        Assert.Empty(seen.Body);
        Assert.Equal(["tenant", "x", .. CallParameters.Select(p => p.Key)], seen.Query.Select(p => p.Key));
        Assert.Equal("Zoë & Co", seen.Param("CallerName"));
        var verdicts = await SdkSignatureCase.ValidateAsync([new(Token, seen.Header(RequestSignature.HeaderName)!, seen.FullUrl, [], null)]);
        Assert.True(verdicts[0].Valid);
    }

    [Fact]
    public async Task Json_webhooks_are_signed_with_bodySHA256_and_pass_validateRequestWithBody()
    {
        _app.Map("/events", _ => AppAnswer.Status(204));
        var json = Encoding.UTF8.GetBytes("""{"CallSid":"CA1","Status":"ringing","Text":"ünïcode"}""");
        using var http = new HttpClient();

        using var response = await http.SendAsync(SignedWebhookRequest.Json(new Uri(_app.Url("/events?tenant=1")), Token, json));

        var seen = Assert.Single(_app.Requests);
        Assert.Contains("bodySHA256=", seen.FullUrl, StringComparison.Ordinal);
        var verdicts = await SdkSignatureCase.ValidateAsync(
        [
            new(Token, seen.Header(RequestSignature.HeaderName)!, seen.FullUrl, null, seen.Body),
            new(Token, seen.Header(RequestSignature.HeaderName)!, seen.FullUrl, null, seen.Body + " "),
        ]);
        Assert.True(verdicts[0].Valid);
        Assert.False(verdicts[1].Valid);
    }

    [Fact]
    public async Task Server_error_goes_to_the_fallback_url_with_ErrorCode_and_ErrorUrl()
    {
        _app.Map("/voice", _ => AppAnswer.Status(500));
        _app.MapTwiml("/fallback", Hello);

        var result = await _fetcher.FetchAsync(Request("/voice") with { FallbackUrl = _app.Url("/fallback") }, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(_app.Url("/fallback"), result.DocumentUrl);
        Assert.Equal(TwimlErrorCodes.HttpRetrievalFailure, Assert.Single(result.Notifications).Code);
        var fallback = Assert.Single(_app.For("/fallback"));
        Assert.Equal("11200", fallback.Param("ErrorCode"));
        Assert.Equal(_app.Url("/voice"), fallback.Param("ErrorUrl"));
        Assert.Equal("+15551230000", fallback.Param("From"));
        Assert.Single(_app.For("/voice")); // 5xx is not retried under the default policy (ct)
    }

    [Fact]
    public async Task Failure_without_fallback_is_11200_and_both_failing_reports_the_fallback_error()
    {
        _app.Map("/voice", _ => AppAnswer.Status(404));
        _app.Map("/fallback", _ => AppAnswer.Xml("<Response><Say>oops</Response>"));

        var plain = await _fetcher.FetchAsync(Request("/voice"), CancellationToken.None);
        var both = await _fetcher.FetchAsync(Request("/voice") with { FallbackUrl = _app.Url("/fallback") }, CancellationToken.None);

        Assert.Equal(TwimlErrorCodes.HttpRetrievalFailure, plain.Error?.Code);
        Assert.Equal(TwimlErrorCodes.DocumentParseFailure, both.Error?.Code);
        Assert.Equal([TwimlErrorCodes.HttpRetrievalFailure, TwimlErrorCodes.DocumentParseFailure], both.Notifications.Select(n => n.Code));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/json")]
    [InlineData(null)]
    public async Task Non_twiml_content_types_are_12300(string? contentType)
    {
        _app.Map("/voice", _ => new AppAnswer(200, contentType, Encoding.UTF8.GetBytes(Hello)));

        var result = await _fetcher.FetchAsync(Request("/voice"), CancellationToken.None);

        Assert.Equal(TwimlErrorCodes.InvalidContentType, result.Error?.Code);
    }

    [Fact]
    public async Task Audio_answers_become_a_url_to_play()
    {
        _app.Map("/voice", _ => new AppAnswer(200, "audio/mpeg", [0xFF, 0xFB, 0x90, 0x00]));

        var result = await _fetcher.FetchAsync(Request("/voice"), CancellationToken.None);

        Assert.Equal(_app.Url("/voice"), result.AudioUrl);
        Assert.Null(result.Program);
    }

    [Fact]
    public async Task Oversized_and_malformed_documents_map_to_11750_and_12100()
    {
        _app.Map("/big", _ => AppAnswer.Xml("<Response><Say>" + new string('x', 70_000) + "</Say></Response>"));
        _app.Map("/bad", _ => AppAnswer.Xml("<Response><Say>unclosed</Response>"));

        Assert.Equal(TwimlErrorCodes.ResponseBodyTooLarge, (await _fetcher.FetchAsync(Request("/big"), CancellationToken.None)).Error?.Code);
        Assert.Equal(TwimlErrorCodes.DocumentParseFailure, (await _fetcher.FetchAsync(Request("/bad"), CancellationToken.None)).Error?.Code);
    }

    [Fact]
    public async Task Redirects_are_followed_resigned_and_bounded()
    {
        _app.Map("/old", _ => AppAnswer.Redirect("/new", 307));
        _app.MapTwiml("/new", Hello);
        _app.Map("/loop", _ => AppAnswer.Redirect("/loop"));

        var followed = await _fetcher.FetchAsync(Request("/old"), CancellationToken.None);
        var looping = await _fetcher.FetchAsync(Request("/loop"), CancellationToken.None);

        Assert.True(followed.Succeeded, followed.Error?.Message);
        Assert.Equal(_app.Url("/new"), followed.DocumentUrl);
        var hop = Assert.Single(_app.For("/new"));
        Assert.Equal("POST", hop.Method);
        Assert.True(RequestSignature.Validate(Token, hop.Header(RequestSignature.HeaderName), hop.FullUrl, hop.Form));
        Assert.Equal(TwimlErrorCodes.HttpTooManyRedirects, looping.Error?.Code);
        Assert.Equal(6, _app.For("/loop").Length);
    }

    [Fact]
    public async Task Read_timeout_override_fails_fast_and_rp_rt_retries_with_the_same_idempotency_token()
    {
        _app.Map("/slow", _ => AppAnswer.Never());

        var started = DateTime.UtcNow;
        var result = await _fetcher.FetchAsync(Request("/slow") with { Url = _app.Url("/slow#rt=3000&rc=2&rp=rt&tt=15000") }, CancellationToken.None);

        Assert.Equal(TwimlErrorCodes.HttpRetrievalFailure, result.Error?.Code);
        Assert.Contains("timeout", result.Error!.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20)); // bounded by tt, far below 3 × the 15 s default read timeout
        var attempts = _app.For("/slow");
        Assert.Equal(3, attempts.Length);
        Assert.Single(attempts.Select(a => a.Header("I-Twilio-Idempotency-Token")).Distinct());
        Assert.DoesNotContain('#', attempts[0].FullUrl);
    }

    [Fact]
    public async Task Refused_connections_are_11205()
    {
        var closedPort = Telephony.Testing.FreePorts.Tcp();

        var result = await _fetcher.FetchAsync(Request("/x") with { Url = $"http://127.0.0.1:{closedPort}/voice#rc=0" }, CancellationToken.None);

        Assert.Equal(TwimlErrorCodes.HttpConnectionFailure, result.Error?.Code);
    }

    [Theory]
    [InlineData("ftp://example.com/x")]
    [InlineData("not a url")]
    [InlineData("relative/without/base")]
    public async Task Invalid_urls_are_11100(string url)
    {
        var result = await _fetcher.FetchAsync(new FetchRequest { Url = url, AuthToken = Token }, CancellationToken.None);

        Assert.Equal(TwimlErrorCodes.InvalidUrlFormat, result.Error?.Code);
    }

    [Fact]
    public async Task Relative_action_urls_resolve_against_the_current_document()
    {
        _app.MapTwiml("/ivr/next", Hello);

        var result = await _fetcher.FetchAsync(new FetchRequest { Url = "next", BaseUrl = _app.Url("/ivr/menu"), AuthToken = Token }, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Single(_app.For("/ivr/next"));
    }

    [Fact]
    public async Task The_internal_address_guard_refuses_loopback_outside_local_mode()
    {
        _app.MapTwiml("/voice", Hello);
        using var guarded = new InstructionFetcher(new InstructionFetcherOptions { AllowInternalAddresses = false });

        var result = await guarded.FetchAsync(Request("/voice"), CancellationToken.None);
        var byName = await guarded.FetchAsync(Request("/voice") with { Url = $"http://localhost:{_app.Port}/voice" }, CancellationToken.None);

        Assert.Equal(TwimlErrorCodes.HttpConnectionFailure, result.Error?.Code);
        Assert.Contains("internal address", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(TwimlErrorCodes.HttpConnectionFailure, byName.Error?.Code);
        Assert.Empty(_app.Requests);
    }

    [Fact]
    public void Connection_overrides_parse_with_twilio_defaults_and_ranges()
    {
        var (url, defaults) = ConnectionOverrides.Split("https://a.example/x?y=1");
        Assert.Equal("https://a.example/x?y=1", url);
        Assert.Equal((5000, 15000, 15000, 1, RetryPolicy.ConnectFailure), ((int)defaults.ConnectTimeout.TotalMilliseconds, (int)defaults.ReadTimeout.TotalMilliseconds, (int)defaults.TotalTimeout.TotalMilliseconds, defaults.RetryCount, defaults.RetryPolicy));

        var (stripped, o) = ConnectionOverrides.Split("https://a.example/x#ct=1000&rt=99999&tt=2000&rc=9&rp=4xx,5xx&e=frankfurt&sni=y&junk");
        Assert.Equal("https://a.example/x", stripped);
        Assert.Equal((1000, 15000, 2000, 5), ((int)o.ConnectTimeout.TotalMilliseconds, (int)o.ReadTimeout.TotalMilliseconds, (int)o.TotalTimeout.TotalMilliseconds, o.RetryCount));
        Assert.Equal((RetryPolicy.ClientError | RetryPolicy.ServerError, "frankfurt", (bool?)true), (o.RetryPolicy, o.Edge, o.Sni));
    }
}
