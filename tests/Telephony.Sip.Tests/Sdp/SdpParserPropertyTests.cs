using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.Tests.Sdp;

public class SdpParserPropertyTests
{
    [Property(MaxTest = 500)]
    public void TryParse_never_throws_on_arbitrary_text(string? text)
    {
        _ = SdpParser.TryParse(text, out _, out _);
    }

    [Property(MaxTest = 300)]
    public Property Valid_descriptions_survive_write_then_parse(PositiveInt port, NonNegativeInt sessionId, bool twoStreams)
    {
        var local = new LocalMediaOptions
        {
            Address = System.Net.IPAddress.Parse("192.0.2.7"),
            Port = port.Get % 65536,
            SessionId = (ulong)sessionId.Get,
        };
        var offer = SdpOfferAnswer.Offer(local);
        if (twoStreams)
        {
            offer.Media.Add(new MediaDescription { MediaType = "video", Port = 0, Protocol = "RTP/AVP", Formats = { "31" } });
        }

        var text = offer.ToString();
        return (SdpParser.Parse(text).ToString() == text).ToProperty();
    }
}
