using Telephony.MediaNode.Dialing;
using Telephony.Twiml.Model;

namespace Telephony.MediaNode.Bridging;

/// <summary>&lt;Number&gt; (and a bare number): the node's trunks by prefix, in failover order, with their channel and CPS limits.</summary>
public sealed class NumberTargetResolver(TrunkRouter router) : IDialTargetResolver
{
    public bool CanResolve(DialTarget target) => target is DialNumber;

    public ValueTask<IReadOnlyList<DialLegPlan>> ResolveAsync(DialTarget target, CallIdentity parent, string callerId, CancellationToken cancellationToken)
    {
        var number = (DialNumber)target;
        var to = number.Number.Trim();

        // Only numbers go to trunks: a "sip:" text inside <Number> is not a number and gets no route.
        var routes = to.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) ? [] : router.Routes(to);
        IReadOnlyList<DialLegPlan> legs = [new DialLegPlan(target, to, callerId, routes) { SendDigits = number.SendDigits }];
        return ValueTask.FromResult(legs);
    }
}
