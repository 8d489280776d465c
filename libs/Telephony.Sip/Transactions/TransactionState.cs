namespace Telephony.Sip.Transactions;

public enum TransactionState
{
    Calling,
    Trying,
    Proceeding,
    /// <summary>RFC 6026: a 2xx was sent or received for an INVITE.</summary>
    Accepted,
    Completed,
    Confirmed,
    Terminated,
}
