namespace Telephony.Sip.Sdp;

/// <summary>
/// An SDP session description (RFC 4566). Parse with <see cref="SdpParser"/>, write with <see cref="ToString"/>.
/// Lines the model does not interpret are kept in <see cref="OtherLines"/> and <see cref="MediaDescription.OtherLines"/>.
/// </summary>
public sealed class SessionDescription
{
    public int Version { get; set; }

    public required SdpOrigin Origin { get; set; }

    public string SessionName { get; set; } = "-";

    /// <summary>Session-level <c>c=</c>; applies to every media section without its own.</summary>
    public SdpConnection? Connection { get; set; }

    /// <summary><c>i= u= e= p= b= t= r= z= k=</c> and unknown session-level lines, in their original order.</summary>
    public IList<SdpLine> OtherLines { get; } = new List<SdpLine>();

    public SdpAttributeList Attributes { get; } = [];

    public IList<MediaDescription> Media { get; } = new List<MediaDescription>();

    /// <summary>The connection that applies to <paramref name="media"/>: its own, else the session's.</summary>
    public SdpConnection? ConnectionFor(MediaDescription media) => media.Connection ?? Connection;

    /// <summary>The direction that applies to <paramref name="media"/>: media-level, else session-level, else sendrecv.</summary>
    public SdpDirection DirectionFor(MediaDescription media) =>
        media.Attributes.Direction ?? Attributes.Direction ?? SdpDirection.SendRecv;

    public static SessionDescription Parse(string text) => SdpParser.Parse(text);

    public override string ToString() => SdpWriter.Write(this);
}
