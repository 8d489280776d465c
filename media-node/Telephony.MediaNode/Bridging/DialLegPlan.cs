using Telephony.MediaNode.Dialing;
using Telephony.Sip.Auth;
using Telephony.Twiml.Model;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// One call leg a Dial target resolved to: what its child call record shows (<paramref name="To"/>, <paramref name="From"/>)
/// and where the INVITE goes (routes tried in order, e.g. trunks with failover). A target with no route still becomes a
/// leg (it fails, as Twilio reports an unroutable number); a target that resolves to nothing rings nobody.
/// </summary>
public sealed record DialLegPlan(DialTarget Target, string To, string From, IReadOnlyList<DialRoute> Routes)
{
    /// <summary>Digest credentials for a direct SIP target (<c>&lt;Sip username password&gt;</c>).</summary>
    public DigestCredentials? Credentials { get; init; }

    /// <summary>Digits sent to the called party once it answers (<c>&lt;Number sendDigits&gt;</c>).</summary>
    public string? SendDigits { get; init; }

    /// <summary>Headers the INVITE carries (a client's <c>&lt;Parameter&gt;</c>s, a relay's signature).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];
}
