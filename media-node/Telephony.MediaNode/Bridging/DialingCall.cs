using Telephony.Sip.Calls;

namespace Telephony.MediaNode.Bridging;

/// <summary>Who a call is on the platform: child legs of a Dial point back to it and inherit its account.</summary>
public sealed record CallIdentity(string AccountSid, string CallSid, string From, string To);

/// <summary>The call running &lt;Dial&gt;: its identity, its live SIP call, and how to answer it (answerOnBridge on an unanswered inbound call).</summary>
public sealed record DialingCall(CallIdentity Identity, SipCall Call, Func<CancellationToken, Task> AnswerAsync)
{
    /// <summary>The account's auth token when this node signs instruction requests itself; empty when the functions app does.</summary>
    public string AuthToken { get; init; } = string.Empty;
}
