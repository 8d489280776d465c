using System.Globalization;
using System.Net;

namespace Telephony.Sip.Sdp;

/// <summary>
/// RFC 3264 offer/answer for one audio stream (PCMU, PCMA, telephone-event). Early offer: the caller calls <see cref="Offer"/>,
/// the callee <see cref="Answer"/>, the caller <see cref="ApplyAnswer"/>. Late offer (INVITE without SDP): the callee offers in
/// its 200 with <see cref="Offer"/> and applies the ACK's answer with <see cref="ApplyAnswer"/>.
/// </summary>
public static class SdpOfferAnswer
{
    public static SessionDescription Offer(LocalMediaOptions local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var session = NewSession(local);
        var media = new MediaDescription { MediaType = "audio", Port = local.Port, Protocol = "RTP/AVP" };
        foreach (var codec in local.Codecs)
        {
            media.Formats.Add(codec.PayloadType.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var codec in local.Codecs)
        {
            media.Attributes.Add(new SdpAttribute("rtpmap", codec.ToRtpMap().ToAttributeValue()));
        }

        if (local.TelephoneEventPayloadType is { } eventType)
        {
            AddTelephoneEvent(media, eventType, local.TelephoneEvents);
        }

        AddPtimeAndDirection(media, local.Ptime, local.Direction);
        session.Media.Add(media);
        return session;
    }

    public static SdpNegotiation Answer(SessionDescription offer, LocalMediaOptions local)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(local);
        var answer = NewSession(local);
        NegotiatedAudio? audio = null;
        var anyActiveStream = false;
        foreach (var offered in offer.Media)
        {
            anyActiveStream |= offered.Port != 0;
            var accepted = audio is null && offered.Port != 0 && offered.IsRtpAudio
                ? TryAccept(offer, offered, local)
                : null;
            if (accepted is null)
            {
                answer.Media.Add(Rejected(offered));
                continue;
            }

            answer.Media.Add(accepted.Value.Media);
            audio = accepted.Value.Audio;
        }

        if (audio is null && anyActiveStream)
        {
            return SdpNegotiation.Failed(SdpNegotiationFailure.NoCommonCodec, "no offered audio stream has a codec in common (supported: "
                + string.Join(", ", local.Codecs.Select(c => c.EncodingName)) + ")");
        }

        return new SdpNegotiation { Answer = answer, Audio = audio };
    }

    /// <summary>Applies the peer's answer to the offer this side sent.</summary>
    public static SdpNegotiation ApplyAnswer(SessionDescription offer, SessionDescription answer, LocalMediaOptions local)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(local);
        if (answer.Media.Count != offer.Media.Count)
        {
            return SdpNegotiation.Failed(SdpNegotiationFailure.AnswerDoesNotMatchOffer,
                $"the answer has {answer.Media.Count} m-lines, the offer had {offer.Media.Count}");
        }

        var offeredActiveAudio = false;
        for (var i = 0; i < offer.Media.Count; i++)
        {
            var ours = offer.Media[i];
            var theirs = answer.Media[i];
            if (ours.Port == 0 || !ours.IsRtpAudio)
            {
                continue;
            }

            offeredActiveAudio = true;
            if (theirs.Port == 0)
            {
                continue;
            }

            var codecs = theirs.PayloadTypes
                .Select(pt => AudioCodec.Resolve(theirs, pt) ?? AudioCodec.Resolve(ours, pt))
                .OfType<AudioCodec>()
                .ToList();
            var audioCodecs = codecs.Where(c => !c.IsTelephoneEvent && local.Codecs.Any(l => l.SameEncodingAs(c))).ToList();
            if (audioCodecs.Count == 0)
            {
                return SdpNegotiation.Failed(SdpNegotiationFailure.NoCommonCodec, "the answer accepts none of the offered audio codecs");
            }

            var ourDirection = offer.DirectionFor(ours);
            var theirDirection = EffectiveDirection(answer, theirs);
            return new SdpNegotiation
            {
                Audio = new NegotiatedAudio
                {
                    RemoteEndPoint = EndPointFor(answer, theirs),
                    Codec = audioCodecs[0],
                    Codecs = audioCodecs,
                    TelephoneEventPayloadType = local.TelephoneEventPayloadType is null ? null : codecs.FirstOrDefault(c => c.IsTelephoneEvent)?.PayloadType,
                    RemotePtime = theirs.Ptime ?? 20,
                    Direction = SdpDirections.From(ourDirection.Sends() && theirDirection.Receives(), ourDirection.Receives() && theirDirection.Sends()),
                    IsHeldByPeer = !theirDirection.Receives(),
                },
            };
        }

        return offeredActiveAudio
            ? SdpNegotiation.Failed(SdpNegotiationFailure.NoCommonCodec, "the peer rejected the audio stream (port 0)")
            : new SdpNegotiation();
    }

    private static (MediaDescription Media, NegotiatedAudio Audio)? TryAccept(SessionDescription offer, MediaDescription offered, LocalMediaOptions local)
    {
        var offeredCodecs = offered.PayloadTypes.Select(pt => AudioCodec.Resolve(offered, pt)).OfType<AudioCodec>().ToList();
        var common = offeredCodecs.Where(c => !c.IsTelephoneEvent && local.Codecs.Any(l => l.SameEncodingAs(c))).ToList();
        if (common.Count == 0)
        {
            return null;
        }

        if (local.PreferLocalCodecOrder)
        {
            common = [.. common.OrderBy(c => IndexOf(local.Codecs, c))];
        }

        // The answer reuses the offer's payload type numbers (RFC 3264 section 6.1), including for telephone-event.
        var telephoneEvent = local.TelephoneEventPayloadType is null
            ? null
            : offeredCodecs.FirstOrDefault(c => c.IsTelephoneEvent && c.ClockRate == 8000);
        var media = new MediaDescription { MediaType = offered.MediaType, Port = local.Port, Protocol = offered.Protocol };
        foreach (var codec in common)
        {
            media.Formats.Add(codec.PayloadType.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var codec in common)
        {
            media.Attributes.Add(new SdpAttribute("rtpmap", codec.ToRtpMap().ToAttributeValue()));
        }

        if (telephoneEvent is not null)
        {
            AddTelephoneEvent(media, telephoneEvent.PayloadType, offered.FindFormatParameters(telephoneEvent.PayloadType) ?? local.TelephoneEvents);
        }

        var offeredDirection = EffectiveDirection(offer, offered);
        var direction = offeredDirection.AnswerTo(local.Direction);
        AddPtimeAndDirection(media, local.Ptime, direction);
        var audio = new NegotiatedAudio
        {
            RemoteEndPoint = EndPointFor(offer, offered),
            Codec = common[0],
            Codecs = common,
            TelephoneEventPayloadType = telephoneEvent?.PayloadType,
            RemotePtime = offered.Ptime ?? 20,
            Direction = direction,
            IsHeldByPeer = !offeredDirection.Receives(),
        };
        return (media, audio);
    }

    /// <summary>The stated direction, except that an RFC 2543 hold address (0.0.0.0) means the peer does not receive.</summary>
    private static SdpDirection EffectiveDirection(SessionDescription session, MediaDescription media)
    {
        var stated = session.DirectionFor(media);
        return session.ConnectionFor(media) is { IsNullAddress: true } ? SdpDirections.From(stated.Sends(), false) : stated;
    }

    private static IPEndPoint? EndPointFor(SessionDescription session, MediaDescription media)
    {
        var connection = session.ConnectionFor(media);
        if (connection is null || connection.IsNullAddress || connection.TryGetIPAddress() is not { } address)
        {
            return null;
        }

        return new IPEndPoint(address, media.Port);
    }

    /// <summary>A rejected stream keeps its m-line with port 0 and the offered formats (RFC 3264 section 6).</summary>
    private static MediaDescription Rejected(MediaDescription offered)
    {
        var media = new MediaDescription { MediaType = offered.MediaType, Port = 0, Protocol = offered.Protocol };
        foreach (var format in offered.Formats)
        {
            media.Formats.Add(format);
        }

        if (media.Formats.Count == 0)
        {
            media.Formats.Add("0");
        }

        return media;
    }

    private static int IndexOf(IReadOnlyList<AudioCodec> codecs, AudioCodec codec)
    {
        for (var i = 0; i < codecs.Count; i++)
        {
            if (codecs[i].SameEncodingAs(codec))
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static SessionDescription NewSession(LocalMediaOptions local)
    {
        var connection = SdpConnection.For(local.Address);
        return new SessionDescription
        {
            Origin = new SdpOrigin(local.Username, local.SessionId.ToString(CultureInfo.InvariantCulture), local.SessionVersion.ToString(CultureInfo.InvariantCulture), connection),
            SessionName = local.SessionName,
            Connection = connection,
        };
    }

    private static void AddTelephoneEvent(MediaDescription media, int payloadType, string events)
    {
        var pt = payloadType.ToString(CultureInfo.InvariantCulture);
        media.Formats.Add(pt);
        media.Attributes.Add(new SdpAttribute("rtpmap", AudioCodec.TelephoneEvent(payloadType).ToRtpMap().ToAttributeValue()));
        media.Attributes.Add(new SdpAttribute("fmtp", pt + " " + events));
    }

    private static void AddPtimeAndDirection(MediaDescription media, int ptime, SdpDirection direction)
    {
        media.Attributes.Add(new SdpAttribute("ptime", ptime.ToString(CultureInfo.InvariantCulture)));
        media.Attributes.Add(new SdpAttribute(direction.ToAttributeName()));
    }
}
