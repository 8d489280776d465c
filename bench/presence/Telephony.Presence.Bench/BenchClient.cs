using System.Globalization;
using System.Net;
using System.Text;

namespace Telephony.Presence.Bench;

/// <summary>One client identity: its token, a stable Call-ID and an increasing CSeq, as a real UA refreshing its binding.</summary>
internal sealed class BenchClient(string identity, string token)
{
    private long _cseq;

    public string Identity { get; } = identity;

    public string Token { get; } = token;

    public byte[] NextRegister(IPEndPoint local, IPEndPoint node, string branch)
    {
        var cseq = Interlocked.Increment(ref _cseq).ToString(CultureInfo.InvariantCulture);
        var target = node.ToString();
        var text = new StringBuilder(1024)
            .Append("REGISTER sip:").Append(target).Append(" SIP/2.0\r\n")
            .Append("Via: SIP/2.0/UDP ").Append(local).Append(";branch=").Append(branch).Append("\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append("From: <sip:").Append(Identity).Append('@').Append(target).Append(">;tag=bench\r\n")
            .Append("To: <sip:").Append(Identity).Append('@').Append(target).Append(">\r\n")
            .Append("Call-ID: ").Append(Identity).Append("@bench\r\n")
            .Append("CSeq: ").Append(cseq).Append(" REGISTER\r\n")
            .Append("Contact: <sip:").Append(Identity).Append('@').Append(local).Append(">\r\n")
            .Append("Authorization: Bearer ").Append(Token).Append("\r\n")
            .Append("Expires: 600\r\n")
            .Append("Content-Length: 0\r\n\r\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }
}
