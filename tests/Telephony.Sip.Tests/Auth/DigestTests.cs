using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Auth;
using Telephony.Sip.Messages;

namespace Telephony.Sip.Tests.Auth;

public sealed class DigestTests
{
    [Theory]
    [InlineData("MD5")]
    [InlineData("SHA-256")]
    public void Client_answer_verifies_on_the_server(string algorithm)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var server = new DigestServer("realm.test", time, algorithm);
        var request = Request();
        var challenge = server.Challenge(request);
        Assert.Equal(401, challenge.StatusCode);

        var retry = Request();
        Assert.True(DigestClient.TryAuthorize(retry, challenge, new DigestCredentials("bob", "pw")));
        var authorization = retry.Headers.Get(HeaderNames.Authorization)!;
        Assert.Contains("qop=auth", authorization, StringComparison.Ordinal);
        Assert.Contains("nc=00000001", authorization, StringComparison.Ordinal);
        Assert.Contains($"algorithm={algorithm}", authorization, StringComparison.Ordinal);
        Assert.Equal("bob", server.Verify(retry, u => u == "bob" ? "pw" : null, out _));
        Assert.Null(server.Verify(retry, _ => "other", out var stale));
        Assert.False(stale);

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(server.Verify(retry, _ => "pw", out stale));
        Assert.True(stale);
    }

    [Fact]
    public void Rfc2617_reference_response_without_qop()
    {
        // HA1/HA2 construction per RFC 2617 §3.2.2.1, checked against an independent computation.
        var expected = DigestAlgorithm.Hash("MD5",
            DigestAlgorithm.Hash("MD5", "user:realm:pass") + ":nonce:" + DigestAlgorithm.Hash("MD5", "INVITE:sip:a@b"));
        Assert.Equal(expected, DigestAlgorithm.Response("MD5", "user", "realm", "pass", "INVITE", "sip:a@b", "nonce", null, null, null));
        Assert.Equal("1a79a4d60de6718e8e5b326e338ae533", DigestAlgorithm.Hash("MD5", "example"));
    }

    [Fact]
    public void Challenge_parser_handles_quoted_commas_and_unknown_schemes()
    {
        Assert.True(DigestChallenge.TryParse("Digest realm=\"a, b\", nonce=\"n\", qop=\"auth,auth-int\", algorithm=SHA-256", out var challenge));
        Assert.Equal("a, b", challenge.Realm);
        Assert.True(challenge.OffersAuthQop);
        Assert.Equal("SHA-256", challenge.Algorithm);
        Assert.False(DigestChallenge.TryParse("NoOneKnowsThisScheme opaque-data=here", out _));
    }

    private static SipRequest Request()
    {
        var request = new SipRequest(SipMethods.Invite, SipUri.Parse("sip:alice@example.com"));
        request.Headers.Add(HeaderNames.Via, "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKd");
        request.Headers.Add(HeaderNames.From, "<sip:bob@example.com>;tag=1");
        request.Headers.Add(HeaderNames.To, "<sip:alice@example.com>");
        request.Headers.Add(HeaderNames.CallId, "digest");
        request.Headers.Add(HeaderNames.CSeq, "1 INVITE");
        return request;
    }
}
