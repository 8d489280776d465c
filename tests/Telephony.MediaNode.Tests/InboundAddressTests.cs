using Telephony.MediaNode.Inbound;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;

namespace Telephony.MediaNode.Tests;

/// <summary>Called and calling parties of an INVITE as the call record keeps them, and the final status of an inbound call.</summary>
public sealed class InboundAddressTests
{
    [Theory]
    [InlineData("+15551230001", "+15551230001")]
    [InlineData("15551230001", "+15551230001")]
    [InlineData("0015551230001", "+15551230001")]
    [InlineData("%2B15551230001", "+15551230001")]
    [InlineData("+1 (555) 123-0001", "+15551230001")]
    [InlineData("alice", null)]
    [InlineData("+0123", null)]
    [InlineData("+1234567890123456", null)]
    [InlineData("", null)]
    public void Dialled_user_parts_become_E164(string user, string? expected) =>
        Assert.Equal(expected, InboundAddresses.ToE164(user));

    [Fact]
    public void The_Request_URI_names_the_called_number_and_To_is_the_fallback()
    {
        Assert.Equal("+15551230001", InboundAddresses.CalledNumber(Invite("sip:15551230001@node", "sip:alice@node")));
        Assert.Equal("+15551230002", InboundAddresses.CalledNumber(Invite("sip:node.example", "sip:+15551230002@node")));
        Assert.Null(InboundAddresses.CalledNumber(Invite("sip:bob@node", "sip:alice@node")));
    }

    [Fact]
    public void The_caller_is_a_number_when_it_is_one_and_its_display_name_is_the_caller_name()
    {
        var numbered = Invite("sip:15551230001@node", "sip:15551230001@node", "\"Ada Lovelace\" <sip:4415550001@carrier;user=phone>");
        var named = Invite("sip:15551230001@node", "sip:15551230001@node", "<sip:alice@example.org;transport=tcp>");

        Assert.Equal("+4415550001", InboundAddresses.Caller(numbered));
        Assert.Equal("sip:alice@example.org", InboundAddresses.Caller(named));
        Assert.Equal("Ada Lovelace", InboundAddresses.CallerName(numbered));
        Assert.Null(InboundAddresses.CallerName(named));
        var longName = Invite("sip:1@n", "sip:1@n", $"\"{new string('x', 500)}\" <sip:alice@example.org>");
        Assert.Equal(InboundAddresses.MaxCallerNameLength, InboundAddresses.CallerName(longName)!.Length);
    }

    [Theory]
    [InlineData(200, CallEndCause.RemoteHangup, true, "completed")]
    [InlineData(486, CallEndCause.Rejected, false, "busy")]
    [InlineData(603, CallEndCause.Rejected, false, "no-answer")]
    [InlineData(487, CallEndCause.Canceled, false, "canceled")]
    [InlineData(488, CallEndCause.Failed, false, "failed")]
    public void How_the_SIP_call_ended_decides_the_final_status(int sip, CallEndCause cause, bool answered, string status) =>
        Assert.Equal(status, Telephony.Core.Calls.CallStatuses.ToWire(
            InboundCallRunner.FinalStatus(new CallEnd(sip, "x", cause, TwilioCallStatus.Completed, answered))));

    private static SipRequest Invite(string requestUri, string to, string? from = null)
    {
        var text = $"INVITE {requestUri} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\n" +
            $"From: {from ?? "<sip:15557770001@carrier>"};tag=1\r\nTo: <{to}>\r\nCall-ID: 1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        var parsed = SipParser.ParseDatagram(System.Text.Encoding.UTF8.GetBytes(text));
        return (SipRequest)parsed.Message!;
    }
}
