namespace Telephony.Sip.Sdp;

/// <summary>Why an offer or answer could not be agreed.</summary>
public enum SdpNegotiationFailure
{
    None,

    /// <summary>No offered audio codec is supported (the UA answers <c>488 Not Acceptable Here</c>).</summary>
    NoCommonCodec,

    /// <summary>The answer does not correspond to the offer (different number of m-lines, unknown payload types).</summary>
    AnswerDoesNotMatchOffer,
}

/// <summary>The outcome of <see cref="SdpOfferAnswer.Answer"/> or <see cref="SdpOfferAnswer.ApplyAnswer"/>.</summary>
public sealed record SdpNegotiation
{
    public SdpNegotiationFailure Failure { get; init; }

    /// <summary>A human-readable reason when <see cref="Failure"/> is set (goes into a Warning header or a log).</summary>
    public string? Reason { get; init; }

    /// <summary>The answer to send, when this side answered.</summary>
    public SessionDescription? Answer { get; init; }

    /// <summary>The agreed audio stream; null when the audio stream was disabled (port 0) or negotiation failed.</summary>
    public NegotiatedAudio? Audio { get; init; }

    public bool Succeeded => Failure == SdpNegotiationFailure.None;

    public static SdpNegotiation Failed(SdpNegotiationFailure failure, string reason) => new() { Failure = failure, Reason = reason };
}
