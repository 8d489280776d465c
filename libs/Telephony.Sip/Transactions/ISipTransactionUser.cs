using Telephony.Sip.Messages;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transactions;

/// <summary>The transaction user (UA core, dialogs): what the transaction layer hands upward.</summary>
public interface ISipTransactionUser
{
    /// <summary>A new request (not ACK, not a retransmission) with its server transaction.</summary>
    void OnRequest(ServerTransaction transaction);

    /// <summary>An ACK for a 2xx: end-to-end, outside any transaction.</summary>
    void OnAck(SipRequest ack, SipEndPoint remote);

    /// <summary>A CANCEL matched a pending INVITE; the layer already answered the CANCEL with 200.</summary>
    void OnCancel(ServerInviteTransaction invite, SipRequest cancel);

    /// <summary>A response no client transaction claims (e.g. a 2xx retransmission after Timer M).</summary>
    void OnStrayResponse(SipResponse response, SipEndPoint remote);

    /// <summary>Timer H fired: the ACK for our non-2xx final response never arrived.</summary>
    void OnAckTimeout(ServerInviteTransaction invite);
}
