namespace Telephony.Sip.Sdp;

/// <summary>The <c>o=</c> line. Session id and version are decimal strings in the wire format; kept as numbers here.</summary>
public sealed record SdpOrigin(string Username, ulong SessionId, ulong SessionVersion, SdpConnection Connection)
{
    public override string ToString() => $"{Username} {SessionId} {SessionVersion} {Connection}";
}
