using System.Net;
using Telephony.Sip.Sdp;

namespace Telephony.Sip.Tests.Sdp;

public class SdpOfferAnswerTests
{
    private static readonly LocalMediaOptions Local = new() { Address = IPAddress.Parse("10.0.0.5"), Port = 40000, SessionId = 77, SessionVersion = 1 };

    private static SessionDescription OfferOf(string mediaAndAttributes, string connection = "c=IN IP4 192.0.2.1\n") =>
        SdpParser.Parse("v=0\no=peer 1 1 IN IP4 192.0.2.1\ns=-\n" + connection + "t=0 0\n" + mediaAndAttributes);

    [Fact]
    public void Our_offer_lists_codecs_telephone_event_ptime_and_direction()
    {
        var offer = SdpOfferAnswer.Offer(Local).ToString();

        Assert.Equal(
            "v=0\r\no=- 77 1 IN IP4 10.0.0.5\r\ns=Telephony\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n" +
            "m=audio 40000 RTP/AVP 0 8 101\r\n" +
            "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n" +
            "a=ptime:20\r\na=sendrecv\r\n",
            offer);
    }

    [Fact]
    public void IPv6_local_address_is_written_as_IP6()
    {
        var offer = SdpOfferAnswer.Offer(Local with { Address = IPAddress.IPv6Loopback });

        Assert.Equal("IN IP6 ::1", offer.Connection!.ToString());
        Assert.Equal("IP6", offer.Origin.Connection.AddressType);
    }

    public static TheoryData<string, LocalMediaOptions, string, int?> CodecCases => new()
    {
        // offer m-line and attributes, local options, expected answer formats, expected telephone-event PT
        { "m=audio 5000 RTP/AVP 8 0 101\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\n", Local, "8 0 101", 101 },
        { "m=audio 5000 RTP/AVP 8 0\n", Local with { PreferLocalCodecOrder = true }, "0 8", null },
        { "m=audio 5000 RTP/AVP 18 0 96\na=rtpmap:18 G729/8000\na=rtpmap:96 telephone-event/8000\n", Local, "0 96", 96 },
        { "m=audio 5000 RTP/AVP 0 101\na=rtpmap:101 telephone-event/8000\n", Local with { TelephoneEventPayloadType = null }, "0", null },
        { "m=audio 5000 RTP/AVP 8\n", Local with { Codecs = [AudioCodec.Pcma] }, "8", null },
        { "m=audio 5000 RTP/AVP 97 0\na=rtpmap:97 pcma/8000\n", Local, "97 0", null },
        { "m=audio 5000 RTP/AVP 0 101\na=rtpmap:101 telephone-event/48000\n", Local, "0", null },
    };

    [Theory]
    [MemberData(nameof(CodecCases))]
    public void Answer_keeps_the_common_codecs_in_the_preferred_order(string offerMedia, LocalMediaOptions local, string expectedFormats, int? expectedEventType)
    {
        var result = SdpOfferAnswer.Answer(OfferOf(offerMedia), local);

        Assert.True(result.Succeeded, result.Reason);
        var media = Assert.Single(result.Answer!.Media);
        Assert.Equal(expectedFormats, string.Join(' ', media.Formats));
        Assert.Equal(expectedEventType, result.Audio!.TelephoneEventPayloadType);
        Assert.Equal(media.Formats[0], result.Audio.Codec.PayloadType.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5000), result.Audio.RemoteEndPoint);
        Assert.Equal(local.Port, media.Port);
    }

    [Fact]
    public void Answer_echoes_the_offered_telephone_event_fmtp()
    {
        var result = SdpOfferAnswer.Answer(OfferOf("m=audio 5000 RTP/AVP 0 101\na=rtpmap:101 telephone-event/8000\na=fmtp:101 0-15\n"), Local);

        Assert.Equal("0-15", result.Answer!.Media[0].FindFormatParameters(101));
    }

    [Theory]
    [InlineData("m=audio 5000 RTP/AVP 18 9\na=rtpmap:18 G729/8000\na=rtpmap:9 G722/8000\n")]
    [InlineData("m=audio 5000 RTP/AVP 101\na=rtpmap:101 telephone-event/8000\n")]
    [InlineData("m=video 5002 RTP/AVP 31\n")]
    [InlineData("m=audio 5000 RTP/SAVP 0\n")]
    public void No_common_codec_is_a_clear_failure_the_UA_turns_into_488(string offerMedia)
    {
        var result = SdpOfferAnswer.Answer(OfferOf(offerMedia), Local);

        Assert.False(result.Succeeded);
        Assert.Equal(SdpNegotiationFailure.NoCommonCodec, result.Failure);
        Assert.NotNull(result.Reason);
        Assert.Null(result.Answer);
    }

    [Theory]
    [InlineData("sendrecv", SdpDirection.SendRecv, "sendrecv", false)]
    [InlineData("sendonly", SdpDirection.SendRecv, "recvonly", true)]
    [InlineData("recvonly", SdpDirection.SendRecv, "sendonly", false)]
    [InlineData("inactive", SdpDirection.SendRecv, "inactive", true)]
    [InlineData("sendrecv", SdpDirection.SendOnly, "sendonly", false)]
    [InlineData("sendrecv", SdpDirection.Inactive, "inactive", false)]
    [InlineData("sendonly", SdpDirection.SendOnly, "inactive", true)]
    [InlineData("recvonly", SdpDirection.RecvOnly, "inactive", false)]
    public void Answer_mirrors_the_offered_direction_within_what_we_want(string offered, SdpDirection wanted, string expected, bool heldByPeer)
    {
        var result = SdpOfferAnswer.Answer(OfferOf($"m=audio 5000 RTP/AVP 0\na={offered}\n"), Local with { Direction = wanted });

        Assert.Equal(expected, result.Answer!.Media[0].Attributes.Direction!.Value.ToAttributeName());
        Assert.Equal(expected, result.Audio!.Direction.ToAttributeName());
        Assert.Equal(heldByPeer, result.Audio.IsHeldByPeer);
    }

    [Fact]
    public void Old_style_hold_with_null_address_means_we_do_not_send()
    {
        var result = SdpOfferAnswer.Answer(OfferOf("m=audio 5000 RTP/AVP 0\n", "c=IN IP4 0.0.0.0\n"), Local);

        Assert.Null(result.Audio!.RemoteEndPoint);
        Assert.True(result.Audio.IsHeldByPeer);
        Assert.Equal(SdpDirection.RecvOnly, result.Audio.Direction);
    }

    [Fact]
    public void Rejected_and_disabled_streams_keep_their_m_line_with_port_0()
    {
        var offer = OfferOf(
            "m=video 6000 RTP/AVP 31\n" +
            "m=audio 0 RTP/AVP 0\n" +
            "m=audio 5000 RTP/AVP 0\n" +
            "m=audio 5004 RTP/AVP 8\n");

        var result = SdpOfferAnswer.Answer(offer, Local);

        Assert.True(result.Succeeded);
        var ports = result.Answer!.Media.Select(m => $"{m.MediaType} {m.Port} {string.Join(' ', m.Formats)}");
        Assert.Equal(["video 0 31", "audio 0 0", "audio 40000 0", "audio 0 8"], ports);
        Assert.Equal(5000, result.Audio!.RemoteEndPoint!.Port);
    }

    [Fact]
    public void An_offer_whose_only_audio_stream_is_disabled_gets_a_port_0_answer_and_no_audio()
    {
        var result = SdpOfferAnswer.Answer(OfferOf("m=audio 0 RTP/AVP 0\n"), Local);

        Assert.True(result.Succeeded);
        Assert.Equal(0, result.Answer!.Media[0].Port);
        Assert.Null(result.Audio);
    }

    [Fact]
    public void Remote_ptime_and_media_level_IPv6_connection_are_taken_from_the_offer()
    {
        var offer = OfferOf("m=audio 5000 RTP/AVP 8\nc=IN IP6 2001:db8::9\na=ptime:30\n");

        var audio = SdpOfferAnswer.Answer(offer, Local).Audio!;

        Assert.Equal(30, audio.RemotePtime);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::9"), 5000), audio.RemoteEndPoint);
        Assert.Equal(AudioCodec.Pcma, audio.Codec);
    }

    [Fact]
    public void Early_offer_round_trip_between_two_instances_agrees_on_both_sides()
    {
        var caller = Local;
        var callee = Local with { Address = IPAddress.Parse("10.0.0.9"), Port = 50000, Codecs = [AudioCodec.Pcma, AudioCodec.Pcmu], TelephoneEventPayloadType = 96 };

        var offer = SdpOfferAnswer.Offer(caller);
        var answered = SdpOfferAnswer.Answer(SdpParser.Parse(offer.ToString()), callee);
        var applied = SdpOfferAnswer.ApplyAnswer(offer, SdpParser.Parse(answered.Answer!.ToString()), caller);

        Assert.True(applied.Succeeded, applied.Reason);
        Assert.Equal(AudioCodec.Pcmu, answered.Audio!.Codec);
        Assert.Equal(AudioCodec.Pcmu, applied.Audio!.Codec);
        Assert.Equal(101, answered.Audio.TelephoneEventPayloadType);
        Assert.Equal(101, applied.Audio.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.9"), 50000), applied.Audio.RemoteEndPoint);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.5"), 40000), answered.Audio.RemoteEndPoint);
    }

    [Fact]
    public void Late_offer_we_offer_in_the_200_and_apply_the_answer_from_the_ACK()
    {
        var ourOffer = SdpOfferAnswer.Offer(Local);
        var ackAnswer = SdpParser.Parse(
            "v=0\no=peer 9 9 IN IP4 192.0.2.50\ns=-\nc=IN IP4 192.0.2.50\nt=0 0\nm=audio 7078 RTP/AVP 8 101\na=rtpmap:101 telephone-event/8000\na=ptime:20\n");

        var result = SdpOfferAnswer.ApplyAnswer(ourOffer, ackAnswer, Local);

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(AudioCodec.Pcma, result.Audio!.Codec);
        Assert.Equal(101, result.Audio.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.50"), 7078), result.Audio.RemoteEndPoint);
        Assert.Equal(SdpDirection.SendRecv, result.Audio.Direction);
    }

    [Fact]
    public void Hold_we_offer_sendonly_and_the_peer_answers_recvonly()
    {
        var holdOffer = SdpOfferAnswer.Offer(Local with { Direction = SdpDirection.SendOnly, SessionVersion = 2 });
        var peerAnswer = SdpOfferAnswer.Answer(SdpParser.Parse(holdOffer.ToString()), Local with { Address = IPAddress.Parse("10.0.0.9"), Port = 50000 });

        var applied = SdpOfferAnswer.ApplyAnswer(holdOffer, peerAnswer.Answer!, Local);

        Assert.Contains("a=sendonly", holdOffer.ToString(), StringComparison.Ordinal);
        Assert.Equal("2", holdOffer.Origin.SessionVersion);
        Assert.Equal(SdpDirection.RecvOnly, peerAnswer.Audio!.Direction);
        Assert.True(peerAnswer.Audio.IsHeldByPeer);
        Assert.Equal(SdpDirection.SendOnly, applied.Audio!.Direction);
        Assert.False(applied.Audio.IsHeldByPeer);
    }

    [Fact]
    public void An_answer_rejecting_our_audio_or_changing_the_m_line_count_is_a_failure()
    {
        var offer = SdpOfferAnswer.Offer(Local);

        var rejected = SdpOfferAnswer.ApplyAnswer(offer, SdpParser.Parse("v=0\no=p 1 1 IN IP4 192.0.2.1\ns=-\nm=audio 0 RTP/AVP 0\n"), Local);
        var mismatched = SdpOfferAnswer.ApplyAnswer(offer, SdpParser.Parse("v=0\no=p 1 1 IN IP4 192.0.2.1\ns=-\n"), Local);
        var foreignCodec = SdpOfferAnswer.ApplyAnswer(offer, SdpParser.Parse("v=0\no=p 1 1 IN IP4 192.0.2.1\ns=-\nc=IN IP4 192.0.2.1\nm=audio 5 RTP/AVP 18\n"), Local);

        Assert.Equal(SdpNegotiationFailure.NoCommonCodec, rejected.Failure);
        Assert.Equal(SdpNegotiationFailure.AnswerDoesNotMatchOffer, mismatched.Failure);
        Assert.Equal(SdpNegotiationFailure.NoCommonCodec, foreignCodec.Failure);
    }
}
