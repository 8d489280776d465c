using Telephony.Core.Presence;
using Telephony.MediaNode.Presence;
using Telephony.Twiml.Model;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// &lt;Client&gt;: one leg per live registration of the identity in the parent call's account (never another tenant's),
/// so every device rings at once and the first to answer wins. Each leg's To is <c>client:identity</c>; its
/// &lt;Parameter&gt;s travel as X- headers. An identity with no reachable registration rings nobody (no-answer).
/// </summary>
public sealed class ClientTargetResolver(PresenceRegistry presence, ClientRoutes routes, ILogger<ClientTargetResolver> logger) : IDialTargetResolver
{
    public bool CanResolve(DialTarget target) => target is DialClient;

    public async ValueTask<IReadOnlyList<DialLegPlan>> ResolveAsync(DialTarget target, CallIdentity parent, string callerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var client = (DialClient)target;
        return await LegsAsync(target, client.Identity.Trim(), client.Parameters, parent, callerId, cancellationToken);
    }

    /// <summary>The legs ringing <paramref name="identity"/> (a &lt;Client&gt; noun, or an API call's <c>To=client:…</c>).</summary>
    public async Task<IReadOnlyList<DialLegPlan>> LegsAsync(
        DialTarget target, string identity, IReadOnlyDictionary<string, string> parameters, CallIdentity parent, string callerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (!ClientIdentity.IsValid(identity))
        {
            logger.LogWarning("Call {CallSid} ({AccountSid}): <Client>{Identity}</Client> is not a valid client identity", parent.CallSid, parent.AccountSid, identity);
            return [];
        }

        var headers = ClientParameterHeaders.From(parameters);
        var legs = new List<DialLegPlan>();
        foreach (var registration in await presence.LookupAsync(parent.AccountSid, identity, cancellationToken))
        {
            if (await routes.RouteAsync(registration, cancellationToken) is { } route)
            {
                legs.Add(new DialLegPlan(target, ClientIdentity.Prefix + identity, callerId, [route.Route]) { Headers = [.. headers, .. route.Headers] });
            }
        }

        logger.LogInformation("Call {CallSid} ({AccountSid}): client {Identity} has {Legs} reachable registration(s)", parent.CallSid, parent.AccountSid, identity, legs.Count);
        return legs;
    }
}
