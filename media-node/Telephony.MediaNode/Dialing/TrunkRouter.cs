using Telephony.Sip.Messages;

namespace Telephony.MediaNode.Dialing;

/// <summary>One place to send an INVITE: a trunk (with its limits) or a SIP URI dialled directly.</summary>
public sealed record DialRoute(SipUri Target, Trunk? Trunk)
{
    public string Name => Trunk?.Name ?? "direct";

    /// <summary>Where the INVITE is sent instead of the target's host: a registered client's flow (see CallRequest.Destination).</summary>
    public Telephony.Sip.Transport.SipEndPoint? Flow { get; init; }
}

/// <summary>
/// Turns a call's <c>To</c> into the routes to try in order: <c>sip:</c> targets go direct; E.164
/// numbers go to the trunks whose prefixes match, longest prefix first (config order breaks ties).
/// </summary>
public sealed class TrunkRouter(IReadOnlyList<Trunk> trunks)
{
    public IReadOnlyList<Trunk> Trunks => trunks;

    /// <summary>The routes for <paramref name="to"/>; empty when nothing can carry it (the call fails).</summary>
    public IReadOnlyList<DialRoute> Routes(string to)
    {
        ArgumentNullException.ThrowIfNull(to);
        var trimmed = to.Trim();
        if (trimmed.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
        {
            return SipUri.TryParse(trimmed, out var uri) && uri.IsSip ? [new DialRoute(uri, null)] : [];
        }

        if (!IsE164(trimmed))
        {
            return [];
        }

        var digits = trimmed[1..];
        return [.. trunks
            .Select((trunk, index) => (trunk, index, match: trunk.MatchLength(digits)))
            .Where(t => t.match >= 0)
            .OrderByDescending(t => t.match)
            .ThenBy(t => t.index)
            .Select(t => new DialRoute(t.trunk.TargetFor(trimmed), t.trunk))];
    }

    private static bool IsE164(string number) =>
        number.Length is >= 3 and <= 16 && number[0] == '+' && number.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;
}
