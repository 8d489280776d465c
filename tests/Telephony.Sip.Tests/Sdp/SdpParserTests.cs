using System.Net;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.Tests.Sdp;

public class SdpParserTests
{
    private const string FreeSwitchOffer =
        "v=0\r\n" +
        "o=FreeSWITCH 1700000000 1700000001 IN IP4 192.0.2.10\r\n" +
        "s=FreeSWITCH\r\n" +
        "c=IN IP4 192.0.2.10\r\n" +
        "t=0 0\r\n" +
        "m=audio 24000 RTP/AVP 0 8 101\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\n" +
        "a=fmtp:101 0-16\r\n" +
        "a=ptime:20\r\n" +
        "a=sendrecv\r\n" +
        "a=rtcp:24001 IN IP4 192.0.2.10\r\n";

    [Fact]
    public void Parses_a_typical_offer_into_its_parts()
    {
        var sdp = SdpParser.Parse(FreeSwitchOffer);

        Assert.Equal(0, sdp.Version);
        Assert.Equal("FreeSWITCH", sdp.Origin.Username);
        Assert.Equal("1700000000", sdp.Origin.SessionId);
        Assert.Equal("1700000001", sdp.Origin.SessionVersion);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), sdp.Connection!.TryGetIPAddress());
        var audio = Assert.Single(sdp.Media);
        Assert.Equal(24000, audio.Port);
        Assert.Equal(["0", "8", "101"], audio.Formats);
        Assert.Equal([0, 8, 101], audio.PayloadTypes);
        Assert.Equal(new SdpRtpMap(101, "telephone-event", 8000), audio.FindRtpMap(101));
        Assert.Equal("0-16", audio.FindFormatParameters(101));
        Assert.Equal(20, audio.Ptime);
        Assert.Equal(SdpDirection.SendRecv, sdp.DirectionFor(audio));
        Assert.Equal("24001 IN IP4 192.0.2.10", audio.Attributes.Find("rtcp")!.Value);
    }

    [Fact]
    public void Serializing_a_canonical_description_gives_back_the_same_text()
    {
        Assert.Equal(FreeSwitchOffer, SdpParser.Parse(FreeSwitchOffer).ToString());
    }

    [Fact]
    public void Accepts_bare_LF_line_ends_blank_lines_and_trailing_spaces_and_writes_CRLF()
    {
        var lf = FreeSwitchOffer.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("t=0 0\n", "t=0 0  \n\n", StringComparison.Ordinal);

        var sdp = SdpParser.Parse(lf);

        Assert.Equal(FreeSwitchOffer, sdp.ToString());
    }

    [Fact]
    public void Unknown_attributes_and_line_types_survive_a_round_trip()
    {
        const string text =
            "v=0\r\n" +
            "o=- 1 1 IN IP4 198.51.100.1\r\n" +
            "s=-\r\n" +
            "i=a session\r\n" +
            "c=IN IP4 198.51.100.1\r\n" +
            "b=AS:64\r\n" +
            "t=0 0\r\n" +
            "a=x-custom-session:42\r\n" +
            "a=ice-lite\r\n" +
            "m=audio 4000 RTP/AVP 0\r\n" +
            "i=voice\r\n" +
            "b=TIAS:64000\r\n" +
            "a=x-vendor:foo bar: baz\r\n" +
            "a=maxptime:40\r\n";

        var sdp = SdpParser.Parse(text);

        Assert.Equal(text, sdp.ToString());
        Assert.Equal("foo bar: baz", sdp.Media[0].Attributes.Find("x-vendor")!.Value);
        Assert.True(sdp.Attributes.Has("ice-lite"));
    }

    [Fact]
    public void Media_level_connection_overrides_session_level_and_IPv6_is_understood()
    {
        const string text =
            "v=0\no=- 5 6 IN IP6 2001:db8::1\ns=-\nc=IN IP6 2001:db8::1\nt=0 0\n" +
            "m=audio 5000 RTP/AVP 0\n" +
            "m=audio 5002 RTP/AVP 8\nc=IN IP6 2001:db8::2\n";

        var sdp = SdpParser.Parse(text);

        Assert.Equal(IPAddress.Parse("2001:db8::1"), sdp.ConnectionFor(sdp.Media[0])!.TryGetIPAddress());
        Assert.Equal(IPAddress.Parse("2001:db8::2"), sdp.ConnectionFor(sdp.Media[1])!.TryGetIPAddress());
        Assert.Contains("m=audio 5002 RTP/AVP 8\r\nc=IN IP6 2001:db8::2\r\n", sdp.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Session_level_direction_applies_unless_the_media_overrides_it()
    {
        const string text = "v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nt=0 0\na=sendonly\nm=audio 1 RTP/AVP 0\nm=audio 2 RTP/AVP 0\na=inactive\n";

        var sdp = SdpParser.Parse(text);

        Assert.Equal(SdpDirection.SendOnly, sdp.DirectionFor(sdp.Media[0]));
        Assert.Equal(SdpDirection.Inactive, sdp.DirectionFor(sdp.Media[1]));
    }

    [Fact]
    public void Writes_t_line_when_missing_and_port_counts()
    {
        var sdp = SdpParser.Parse("v=0\no=- 1 1 IN IP4 192.0.2.1\ns=-\nm=audio 4000/2 RTP/AVP 0\n");

        Assert.Equal(2, sdp.Media[0].PortCount);
        Assert.Equal("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\nm=audio 4000/2 RTP/AVP 0\r\n", sdp.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("o=- 1 1 IN IP4 192.0.2.1\ns=-\n", "first line must be v=")]
    [InlineData("v=1\no=- 1 1 IN IP4 192.0.2.1\n", "version")]
    [InlineData("v=0\ns=-\n", "no o= line")]
    [InlineData("v=0\no=- x 1 IN IP4 192.0.2.1\n", "o=")]
    [InlineData("v=0\no=- 1 -2 IN IP4 192.0.2.1\n", "o=")]
    [InlineData("v=0\no=- 1 1 IN IP4 192.0.2.1\nthis is not sdp\n", "line 3")]
    [InlineData("v=0\no=- 1 1 IN IP4 192.0.2.1\nc=IN IP4\n", "c=")]
    [InlineData("v=0\no=- 1 1 IN IP4 192.0.2.1\nc=IN IP4 999.1.1.1\n", "not a valid IP4")]
    [InlineData("v=0\no=- 1 1 IN IP4 192.0.2.1\nm=audio 70000 RTP/AVP 0\n", "port")]
    [InlineData("v=0\no=- 1 1 IN IP4 192.0.2.1\nm=audio\n", "m=")]
    public void Malformed_input_gets_a_clear_error(string text, string expectedInError)
    {
        Assert.False(SdpParser.TryParse(text, out var sdp, out var error));
        Assert.Null(sdp);
        Assert.Contains(expectedInError, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => SdpParser.Parse(text));
    }

    [Fact]
    public void Session_ids_longer_than_64_bits_survive_a_round_trip()
    {
        const string text = "v=0\r\no=- 123456789012345678901234567890 98765432109876543210987 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n";

        var sdp = SdpParser.Parse(text);

        Assert.Equal("123456789012345678901234567890", sdp.Origin.SessionId);
        Assert.Equal(text, sdp.ToString());
    }

    [Fact]
    public void Parses_the_sdp_sipp_sends_in_its_default_uac_scenario()
    {
        const string sipp = "v=0\r\no=user1 53655765 2353687637 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

        var sdp = SdpParser.Parse(sipp);

        Assert.Equal(sipp, sdp.ToString());
        Assert.Equal(6000, sdp.Media[0].Port);
        Assert.Null(sdp.Media[0].Ptime);
    }
}
