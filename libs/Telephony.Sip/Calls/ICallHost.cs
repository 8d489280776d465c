using Microsoft.Extensions.Logging;
using Telephony.Sip.Messages;
using Telephony.Sip.Rtp;
using Telephony.Sip.Sdp;
using Telephony.Sip.Transactions;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Calls;

/// <summary>What a call needs from its user agent.</summary>
internal interface ICallHost
{
    SipStack Stack { get; }

    ILogger Logger { get; }

    NameAddress LocalContact(SipEndPoint towards);

    SipEndPoint Resolve(SipUri uri);

    void Track(SipCall call);

    void Forget(SipCall call);

    /// <summary>Opens the RTP leg of a call, or null when the agent runs signaling only.</summary>
    RtpSession? OpenMedia();

    /// <summary>Registers the (already configured) RTP leg with the pacer; called once per call.</summary>
    void StartMedia(RtpSession session);

    LocalMediaOptions LocalMedia(RtpSession? session, IReadOnlyList<AudioCodec>? codecs, SdpDirection direction);
}
