using Telephony.Sip.Messages;

namespace Telephony.Sip.Transactions;

/// <summary>RFC 3261 §17.1.3 and §17.2.3 matching keys.</summary>
public static class TransactionKeys
{
    public static string? ForClient(SipResponse response) =>
        response.TopVia?.Branch is { } branch && response.CSeq is { } cseq ? Client(branch, cseq.Method) : null;

    public static string Client(string branch, string method) => $"c|{branch}|{method}";

    /// <summary>Server key; ACK maps to its INVITE. Pre-RFC 3261 branches fall back to the dialog/CSeq identifiers.</summary>
    public static string? ForServer(SipRequest request, string? methodOverride = null)
    {
        var via = request.TopVia;
        var cseq = request.CSeq;
        if (via is null || cseq is null)
        {
            return null;
        }

        var method = methodOverride ?? (request.Method == SipMethods.Ack ? SipMethods.Invite : request.Method);
        var sentBy = via.Port is int port ? $"{via.Host}:{port}" : via.Host;
        if (via.Branch is { } branch && branch.StartsWith(ViaHeader.MagicCookie, StringComparison.Ordinal) && branch.Length > ViaHeader.MagicCookie.Length)
        {
            return $"s|{branch}|{sentBy}|{method}";
        }

        return $"s2543|{request.CallId}|{request.From?.Tag}|{cseq.Value.Number}|{sentBy}|{via.Branch}|{method}";
    }
}
