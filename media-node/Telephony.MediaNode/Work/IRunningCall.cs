using Telephony.Core.Messaging;

namespace Telephony.MediaNode.Work;

/// <summary>A call running on this node, inbound or outbound: what live control from the API needs to reach it.</summary>
public interface IRunningCall
{
    string CallSid { get; }

    string AccountSid { get; }

    /// <summary>The call's record changed through the API (redirect, hang-up): act on it.</summary>
    Task OnControl(CallControlMessage message, CancellationToken cancellationToken);
}
