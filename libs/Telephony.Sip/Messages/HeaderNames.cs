using System.Collections.Frozen;

namespace Telephony.Sip.Messages;

/// <summary>Canonical header names and the RFC 3261 §7.3.3 compact forms (plus common extension ones).</summary>
public static class HeaderNames
{
    public const string Accept = "Accept";
    public const string Allow = "Allow";
    public const string Authorization = "Authorization";
    public const string CallId = "Call-ID";
    public const string Contact = "Contact";
    public const string ContentEncoding = "Content-Encoding";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string CSeq = "CSeq";
    public const string Expires = "Expires";
    public const string From = "From";
    public const string MaxForwards = "Max-Forwards";
    public const string MinExpires = "Min-Expires";
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string ProxyRequire = "Proxy-Require";
    public const string RecordRoute = "Record-Route";
    public const string Require = "Require";
    public const string Route = "Route";
    public const string Subject = "Subject";
    public const string Supported = "Supported";
    public const string To = "To";
    public const string Unsupported = "Unsupported";
    public const string UserAgent = "User-Agent";
    public const string Via = "Via";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string RetryAfter = "Retry-After";
    public const string Server = "Server";
    public const string Date = "Date";

    private static readonly string[] KnownNames =
    [
        Accept, Allow, Authorization, CallId, Contact, ContentEncoding, ContentLength, ContentType, CSeq, Expires,
        From, MaxForwards, MinExpires, ProxyAuthenticate, ProxyAuthorization, ProxyRequire, RecordRoute, Require,
        Route, Subject, Supported, To, Unsupported, UserAgent, Via, WwwAuthenticate, RetryAfter, Server, Date,
        "Accept-Encoding", "Accept-Language", "Alert-Info", "Call-Info", "Content-Disposition", "Content-Language",
        "Error-Info", "In-Reply-To", "MIME-Version", "Organization", "Priority", "Reply-To", "Timestamp", "Warning",
        "Event", "Allow-Events", "Refer-To", "Referred-By", "Session-Expires", "Min-SE", "RSeq", "RAck", "P-Asserted-Identity",
    ];

    // Span lookup without allocating: header names are matched on every parsed line.
    private static readonly FrozenDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownLookup =
        KnownNames.ToFrozenDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Expands a compact form and canonicalises the case of known names; unknown names are kept as received.</summary>
    public static string Canonical(ReadOnlySpan<char> name)
    {
        if (name.Length == 1)
        {
            var compact = char.ToLowerInvariant(name[0]) switch
            {
                'i' => CallId,
                'm' => Contact,
                'e' => ContentEncoding,
                'l' => ContentLength,
                'c' => ContentType,
                'f' => From,
                's' => Subject,
                'k' => Supported,
                't' => To,
                'v' => Via,
                'r' => "Refer-To",
                'o' => "Event",
                'u' => "Allow-Events",
                'b' => "Referred-By",
                'x' => "Session-Expires",
                _ => null,
            };
            if (compact is not null)
            {
                return compact;
            }
        }

        return KnownLookup.TryGetValue(name, out var canonical) ? canonical : name.ToString();
    }

    /// <summary>Headers whose values are comma-separated lists (RFC 3261 §7.3.1); authentication headers are not.</summary>
    public static bool IsList(string canonicalName) => canonicalName is
        Via or Contact or Route or RecordRoute or Allow or Supported or Require or ProxyRequire or Unsupported or
        Accept or "Accept-Encoding" or "Accept-Language" or "Allow-Events" or "Content-Encoding" or "Content-Language" or
        "Alert-Info" or "Call-Info" or "Error-Info" or "In-Reply-To" or "Warning";

    /// <summary>Headers that may appear at most once.</summary>
    public static bool IsSingle(string canonicalName) => canonicalName is
        To or From or CallId or CSeq or MaxForwards or ContentLength or ContentType or Expires or MinExpires;
}
