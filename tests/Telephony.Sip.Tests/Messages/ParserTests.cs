using System.Text;
using Telephony.Sip.Messages;

namespace Telephony.Sip.Tests.Messages;

public sealed class ParserTests
{
    private const string Invite =
        "INVITE sip:bob@[2001:db8::10]:5062;transport=udp SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK776;rport, SIP/2.0/TCP proxy.example.com;branch=z9hG4bK1\r\n" +
        "Max-Forwards: 70\r\n" +
        "f: Alice <sip:alice@example.com>;tag=1928\r\n" +
        "t: <sip:bob@example.com>\r\n" +
        "i: a84b4c76e66710\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "m: <sip:alice@192.0.2.4>\r\n" +
        "Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n" +
        "Record-Route: <sip:p3.example.com;lr>\r\n" +
        "c: application/sdp\r\n" +
        "l: 5\r\n" +
        "\r\n" +
        "v=0\r\n";

    [Fact]
    public void Compact_forms_expand_to_canonical_names()
    {
        var message = Parse(Invite);
        Assert.Equal("a84b4c76e66710", message.CallId);
        Assert.Equal("1928", message.From!.Tag);
        Assert.Equal("application/sdp", message.ContentType);
        Assert.Contains(message.Headers, h => h.Name == "Contact");
    }

    [Fact]
    public void Comma_separated_and_repeated_headers_are_both_lists()
    {
        var message = Parse(Invite);
        Assert.Equal(["p1.example.com", "p2.example.com", "p3.example.com"], message.RecordRoutes.Select(r => r.Uri.Host));
        Assert.Equal(2, message.Vias.Count);
        Assert.True(message.TopVia!.HasRport);
        Assert.Equal("[2001:db8::1]", message.TopVia.Host);
    }

    [Fact]
    public void Ipv6_request_uri_with_port_and_parameters()
    {
        var request = Assert.IsType<SipRequest>(Parse(Invite));
        Assert.Equal("[2001:db8::10]", request.Uri.Host);
        Assert.Equal(5062, request.Uri.Port);
        Assert.Equal("udp", request.Uri.Parameters["transport"]);
    }

    [Fact]
    public void Stream_framing_waits_for_the_whole_body_and_consumes_keepalives()
    {
        var bytes = Encoding.UTF8.GetBytes("\r\n\r\n" + Invite + Invite);
        var partial = SipParser.ParseStream(bytes.AsSpan(0, 30));
        Assert.True(partial.NeedsMoreData);

        var first = SipParser.ParseStream(bytes);
        Assert.True(first.IsValid);
        Assert.Equal(4 + Invite.Length, first.Consumed);
        var second = SipParser.ParseStream(bytes.AsSpan(first.Consumed));
        Assert.True(second.IsValid);
        Assert.Equal(Invite.Length, second.Consumed);

        var missingBody = SipParser.ParseStream(bytes.AsSpan(4, Invite.Length - 2));
        Assert.True(missingBody.NeedsMoreData);
    }

    [Fact]
    public void Stream_without_content_length_is_rejected()
    {
        var text = Invite.Replace("l: 5\r\n", string.Empty, StringComparison.Ordinal);
        var result = SipParser.ParseStream(Encoding.UTF8.GetBytes(text));
        Assert.Equal(400, result.Error!.Value.StatusCode);
    }

    [Fact]
    public void Oversized_headers_get_413_without_buffering_forever()
    {
        var huge = "INVITE sip:a@b SIP/2.0\r\nX: " + new string('a', SipParser.MaxHeaderBytes + 10);
        var result = SipParser.ParseStream(Encoding.UTF8.GetBytes(huge));
        Assert.Equal(413, result.Error!.Value.StatusCode);
    }

    [Fact]
    public void Serializer_writes_content_length_that_matches_the_body()
    {
        var message = Parse(Invite);
        message.SetBody("v=0\r\ns=-\r\n"u8.ToArray(), "application/sdp");
        var text = SipSerializer.ToText(message);
        Assert.Contains("Content-Length: 10\r\n\r\nv=0", text, StringComparison.Ordinal);
        Assert.DoesNotContain("l: 5", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"Quoted \\\\ \\\"x\\\"\" <sip:a@b.c>;tag=9", "Quoted \\ \"x\"", "a", "9")]
    [InlineData("sip:a@b.c;tag=9", null, "a", "9")]
    [InlineData("Bob Smith<sip:bob@b.c;transport=tcp>", "Bob Smith", "bob", null)]
    public void Name_addr_and_addr_spec(string text, string? display, string user, string? tag)
    {
        Assert.True(NameAddress.TryParse(text, out var value));
        Assert.Equal(display, value.DisplayName);
        Assert.Equal(user, value.Uri.User);
        Assert.Equal(tag, value.Tag);
        Assert.True(NameAddress.TryParse(value.ToString(), out var again));
        Assert.Equal(value.ToString(), again.ToString());
    }

    [Fact]
    public void Uri_headers_are_kept_and_separated_from_parameters()
    {
        var uri = SipUri.Parse("sip:bob@example.com;lr;maddr=10.0.0.1?Subject=hi&Priority=urgent");
        Assert.True(uri.Parameters.Contains("lr"));
        Assert.Equal("10.0.0.1", uri.Parameters["maddr"]);
        Assert.Equal("Subject=hi&Priority=urgent", uri.Headers);
        Assert.Equal("sip:bob@example.com;lr;maddr=10.0.0.1?Subject=hi&Priority=urgent", uri.ToString());
    }

    private static SipMessage Parse(string text)
    {
        var result = SipParser.ParseDatagram(Encoding.UTF8.GetBytes(text));
        Assert.True(result.IsValid, result.Error?.Reason);
        Assert.Null(SipMessageValidator.Validate(result.Message!));
        return result.Message!;
    }
}
