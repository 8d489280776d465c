using Telephony.Sip.Messages;
using Telephony.Testing;

namespace Telephony.Sip.Tests.Messages;

/// <summary>Every RFC 4475 message, with the outcome the RFC describes for a UA.</summary>
public sealed class TortureTests
{
    public static TheoryData<string, int> Cases => new()
    {
        // 3.1.1 valid messages
        { "wsinv", TortureOutcome.Accepted },
        { "intmeth", TortureOutcome.Accepted },
        { "esc01", TortureOutcome.Accepted },
        { "escnull", TortureOutcome.Accepted },
        { "esc02", TortureOutcome.Accepted },
        { "lwsdisp", TortureOutcome.Accepted },
        { "longreq", TortureOutcome.Accepted },
        { "dblreq", TortureOutcome.Accepted },
        { "semiuri", TortureOutcome.Accepted },
        { "transports", TortureOutcome.Accepted },
        { "mpart01", TortureOutcome.Accepted },
        { "unreason", TortureOutcome.Accepted },
        { "noreason", TortureOutcome.Accepted },
        // 3.1.2 invalid messages
        { "badinv01", 400 },
        { "clerr", 400 },
        { "ncl", 400 },
        { "scalar02", 400 },
        { "scalarlg", TortureOutcome.Dropped },
        { "quotbal", 400 },
        { "ltgtruri", 400 },
        { "lwsruri", 400 },
        { "lwsstart", 400 },
        { "trws", 400 },
        { "escruri", 400 },
        // The RFC lets an element ignore a Date it does not use; we do not use Date.
        { "baddate", TortureOutcome.Accepted },
        { "regbadct", 400 },
        { "badaspec", 400 },
        { "baddn", 400 },
        { "badvers", 505 },
        { "mismatch01", 400 },
        { "mismatch02", 400 },
        { "bigcode", TortureOutcome.Dropped },
        // 3.1.3 transaction layer
        { "badbranch", TortureOutcome.Accepted },
        // 3.1.4 application layer
        { "insuf", 400 },
        { "unkscm", 416 },
        { "novelsc", 416 },
        { "unksm2", TortureOutcome.Accepted },
        { "bext01", 420 },
        { "invut", 415 },
        { "regaut01", TortureOutcome.Accepted },
        { "multi01", 400 },
        { "mcl01", 400 },
        { "bcast", TortureOutcome.Dropped },
        { "zeromf", TortureOutcome.Accepted },
        { "cparam01", TortureOutcome.Accepted },
        { "cparam02", TortureOutcome.Accepted },
        { "regescrt", TortureOutcome.Accepted },
        { "sdp01", 406 },
        // 3.2 backward compatibility
        { "inv2543", TortureOutcome.Accepted },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Torture_message_gets_the_outcome_RFC_4475_describes(string name, int expected)
    {
        Assert.Equal(expected, TortureOutcome.Evaluate(Load(name)));
    }

    [Fact]
    public void Corpus_is_complete()
    {
        var files = Directory.GetFiles(RepoPaths.Combine("tests", "Telephony.Sip.Tests", "Torture"), "*.dat")
            .Select(f => Path.GetFileNameWithoutExtension(f)!).Order().ToList();
        var cases = Cases.Select(c => (string)c[0]).Order().ToList();
        Assert.Equal(cases, files);
    }

    [Fact]
    public void Tortuous_invite_headers_are_unfolded_and_typed()
    {
        var request = Assert.IsType<SipRequest>(SipParser.ParseDatagram(Load("wsinv")).Message);
        Assert.Equal("INVITE", request.Method);
        Assert.Equal("unknownparam", request.Uri.Parameters.Items.Single().Key);
        Assert.Equal("1918181833n", request.To!.Tag);
        Assert.Equal("J Rosenberg \\\"", request.From!.DisplayName);
        Assert.Equal("98asjd8", request.From.Tag);
        Assert.Equal(68, request.MaxForwards);
        Assert.Equal(new CSeqHeader(9, "INVITE"), request.CSeq);
        Assert.Equal(["390skdjuw", "z9hG4bK9ikj8", "z9hG4bK30239"], request.Vias.Select(v => v.Branch));
        Assert.Equal("TCP", request.Vias[1].Transport);
        Assert.Equal("newfangled value continued newfangled value", request.Headers.Get("NewFangledHeader"));
        var contact = Assert.Single(request.Contacts);
        Assert.Equal("Quoted string \"\"", contact.DisplayName);
        Assert.Equal("0.33", contact.Parameters["q"]);
        Assert.Equal(150, request.Body.Length);
        Assert.Equal(string.Empty, request.Headers.Get("Subject"));
    }

    [Fact]
    public void Extra_octets_after_content_length_in_a_datagram_are_ignored()
    {
        var request = Assert.IsType<SipRequest>(SipParser.ParseDatagram(Load("dblreq")).Message);
        Assert.Equal("REGISTER", request.Method);
        Assert.True(request.Body.IsEmpty);
    }

    [Fact]
    public void Escaped_user_parts_compare_equal_to_their_unescaped_form()
    {
        var request = Assert.IsType<SipRequest>(SipParser.ParseDatagram(Load("esc01")).Message);
        Assert.Equal("user", SipUri.Unescape(request.To!.Uri.User));
        Assert.True(request.To.Uri.UriEquals(SipUri.Parse("sip:user@example.com")));
    }

    [Fact]
    public void Multipart_body_passes_through_byte_exact()
    {
        var bytes = Load("mpart01");
        var message = SipParser.ParseDatagram(bytes).Message!;
        var bodyStart = bytes.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        Assert.Equal(bytes[bodyStart..], message.Body.ToArray());
        Assert.Equal(message.Body.ToArray(), SipParser.ParseDatagram(SipSerializer.Serialize(message)).Message!.Body.ToArray());
    }

    [Fact]
    public void Utf8_reason_phrase_and_empty_reason_are_kept()
    {
        var unusual = Assert.IsType<SipResponse>(SipParser.ParseDatagram(Load("unreason")).Message);
        Assert.Equal(200, unusual.StatusCode);
        Assert.Contains("простое", unusual.Reason, StringComparison.Ordinal);
        var empty = Assert.IsType<SipResponse>(SipParser.ParseDatagram(Load("noreason")).Message);
        Assert.Equal(100, empty.StatusCode);
        Assert.Equal(string.Empty, empty.Reason);
    }

    [Fact]
    public void Unsupported_require_is_listed_in_420()
    {
        var request = (SipRequest)SipParser.ParseDatagram(Load("bext01")).Message!;
        var response = new Telephony.Sip.Core.UasRequestPolicy().Check(request)!;
        Assert.Equal("nothingSupportsThis, nothingSupportsThisEither", response.Headers.Get(HeaderNames.Unsupported));
    }

    private static byte[] Load(string name) =>
        File.ReadAllBytes(RepoPaths.Combine("tests", "Telephony.Sip.Tests", "Torture", name + ".dat"));
}
