using Telephony.Twiml.Model;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// Turns one kind of &lt;Dial&gt; noun into the legs to ring. Each kind is its own resolver, registered in DI; a kind
/// nobody resolves (e.g. Conference), or a target that resolves to no leg (an unregistered client), rings nobody,
/// which Twilio reports as no-answer.
/// </summary>
public interface IDialTargetResolver
{
    bool CanResolve(DialTarget target);

    /// <param name="callerId">The From of the legs: Dial's callerId, or the parent call's From.</param>
    ValueTask<IReadOnlyList<DialLegPlan>> ResolveAsync(DialTarget target, CallIdentity parent, string callerId, CancellationToken cancellationToken);
}
