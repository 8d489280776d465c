using System.Text;
using Telephony.Sip.Dialogs;
using Telephony.Sip.Messages;

namespace Telephony.Sip.Tests.Dialogs;

public sealed class DialogTests
{
    private const string Invite =
        "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nFrom: <sip:alice@example.com>;tag=a\r\n" +
        "To: <sip:bob@example.com>\r\nCall-ID: d1\r\nCSeq: 7 INVITE\r\nContact: <sip:alice@10.0.0.1>\r\n" +
        "Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\nContent-Length: 0\r\n\r\n";

    private const string Ok =
        "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nFrom: <sip:alice@example.com>;tag=a\r\n" +
        "To: <sip:bob@example.com>;tag=b\r\nCall-ID: d1\r\nCSeq: 7 INVITE\r\nContact: <sip:bob@10.0.0.2:5062>\r\n" +
        "Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public void Uac_reverses_record_route_and_targets_the_contact()
    {
        var dialog = SipDialog.FromUacResponse(Parse<SipRequest>(Invite), Parse<SipResponse>(Ok));
        Assert.Equal(new DialogId("d1", "a", "b"), dialog.Id);
        Assert.Equal(["p2.example.com", "p1.example.com"], dialog.RouteSet.Select(r => r.Uri.Host));
        var bye = dialog.CreateRequest(SipMethods.Bye, null);
        Assert.Equal("sip:bob@10.0.0.2:5062", bye.UriText);
        Assert.Equal(new CSeqHeader(8, "BYE"), bye.CSeq);
        Assert.Equal(["p2.example.com", "p1.example.com"], bye.Routes.Select(r => r.Uri.Host));
        Assert.Equal("p2.example.com", dialog.NextHop.Host);
        Assert.Equal("b", bye.To!.Tag);
    }

    [Fact]
    public void Uas_keeps_record_route_order_and_rejects_lower_cseq_with_500()
    {
        var dialog = SipDialog.FromUasRequest(Parse<SipRequest>(Invite), "b");
        Assert.Equal(["p1.example.com", "p2.example.com"], dialog.RouteSet.Select(r => r.Uri.Host));
        Assert.Equal("sip:alice@10.0.0.1", dialog.RemoteTarget.ToString());

        var bye = Parse<SipRequest>(Invite.Replace("INVITE sip", "BYE sip", StringComparison.Ordinal).Replace("7 INVITE", "8 BYE", StringComparison.Ordinal));
        Assert.Null(dialog.AcceptRemoteSequence(bye));
        var old = Parse<SipRequest>(Invite.Replace("INVITE sip", "INFO sip", StringComparison.Ordinal).Replace("7 INVITE", "6 INFO", StringComparison.Ordinal));
        Assert.Equal(500, dialog.AcceptRemoteSequence(old));
    }

    private static T Parse<T>(string text)
        where T : SipMessage => Assert.IsType<T>(SipParser.ParseDatagram(Encoding.UTF8.GetBytes(text)).Message);
}
