namespace Telephony.Sip.Sdp;

/// <summary>
/// The <c>o=</c> line. Session id and version are kept as the decimal digit strings of the wire format (RFC 4566 allows any
/// length; some equipment sends more digits than 64 bits hold), so they survive a round trip exactly.
/// </summary>
public sealed record SdpOrigin(string Username, string SessionId, string SessionVersion, SdpConnection Connection)
{
    public override string ToString() => $"{Username} {SessionId} {SessionVersion} {Connection}";
}
