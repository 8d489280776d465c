using Microsoft.Extensions.Logging;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Bridging;

/// <summary>Resolves every noun of a Dial with the first resolver that takes its kind; at most <see cref="MaxLegs"/> legs ring.</summary>
public sealed class DialTargetResolution(IEnumerable<IDialTargetResolver> resolvers, ILogger<DialTargetResolution> logger)
{
    /// <summary>Twilio rings at most ten numbers at once; the same bound keeps one Dial from taking a node's trunks.</summary>
    public const int MaxLegs = 10;
    private readonly IDialTargetResolver[] _resolvers = [.. resolvers];

    public async Task<IReadOnlyList<DialLegPlan>> ResolveAsync(DialPlan plan, CallIdentity parent, string callerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(parent);
        var legs = new List<DialLegPlan>();
        foreach (var target in plan.Targets)
        {
            var resolver = _resolvers.FirstOrDefault(r => r.CanResolve(target));
            if (resolver is null)
            {
                logger.LogWarning("Call {CallSid} ({AccountSid}): nothing on this node resolves <{Target}>; it rings nobody", parent.CallSid, parent.AccountSid, target.Name);
                continue;
            }

            legs.AddRange(await resolver.ResolveAsync(target, parent, callerId, cancellationToken));
        }

        if (legs.Count > MaxLegs)
        {
            logger.LogWarning("Call {CallSid} ({AccountSid}): Dial resolved to {Count} legs; only the first {Max} ring", parent.CallSid, parent.AccountSid, legs.Count, MaxLegs);
            legs.RemoveRange(MaxLegs, legs.Count - MaxLegs);
        }

        return legs;
    }
}
