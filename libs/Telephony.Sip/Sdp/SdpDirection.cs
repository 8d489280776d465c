namespace Telephony.Sip.Sdp;

/// <summary>Media direction (RFC 3264 section 5.1), always from the point of view of the side that wrote the SDP.</summary>
public enum SdpDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

public static class SdpDirections
{
    public static bool Sends(this SdpDirection direction) => direction is SdpDirection.SendRecv or SdpDirection.SendOnly;

    public static bool Receives(this SdpDirection direction) => direction is SdpDirection.SendRecv or SdpDirection.RecvOnly;

    public static SdpDirection From(bool sends, bool receives) => (sends, receives) switch
    {
        (true, true) => SdpDirection.SendRecv,
        (true, false) => SdpDirection.SendOnly,
        (false, true) => SdpDirection.RecvOnly,
        _ => SdpDirection.Inactive,
    };

    /// <summary>What the other side does when this side uses <paramref name="direction"/>: sendonly ↔ recvonly.</summary>
    public static SdpDirection Mirror(this SdpDirection direction) => From(direction.Receives(), direction.Sends());

    /// <summary>The answer's direction: the mirror of the offer, narrowed by what the answerer itself wants.</summary>
    public static SdpDirection AnswerTo(this SdpDirection offered, SdpDirection wanted)
    {
        var allowed = offered.Mirror();
        return From(allowed.Sends() && wanted.Sends(), allowed.Receives() && wanted.Receives());
    }

    public static string ToAttributeName(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        SdpDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    public static SdpDirection? FromAttributeName(string name) => name switch
    {
        "sendrecv" => SdpDirection.SendRecv,
        "sendonly" => SdpDirection.SendOnly,
        "recvonly" => SdpDirection.RecvOnly,
        "inactive" => SdpDirection.Inactive,
        _ => null,
    };
}
