namespace Telephony.Core.Tokens;

/// <summary>
/// The <c>scope</c> claim of a ClientCapability token: space-separated
/// <c>scope:client:incoming?clientName=…</c> and <c>scope:client:outgoing?appSid=…&amp;clientName=…&amp;appParams=…</c>
/// (values percent-escaped; <c>appParams</c> is itself an escaped query string).
/// </summary>
internal sealed record CapabilityScopes
{
    public string? IncomingClientName { get; private init; }

    public string? OutgoingClientName { get; private init; }

    public string? OutgoingApplicationSid { get; private init; }

    public IReadOnlyDictionary<string, string> OutgoingParameters { get; private init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public static CapabilityScopes Parse(string? scope)
    {
        var result = new CapabilityScopes();
        foreach (var item in (scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var question = item.IndexOf('?', StringComparison.Ordinal);
            var name = question < 0 ? item : item[..question];
            var query = Query(question < 0 ? string.Empty : item[(question + 1)..]);
            if (name == "scope:client:incoming" && query.TryGetValue("clientName", out var incoming) && incoming.Length > 0)
            {
                result = result with { IncomingClientName = incoming };
            }
            else if (name == "scope:client:outgoing" && query.TryGetValue("appSid", out var app))
            {
                result = result with
                {
                    OutgoingApplicationSid = app,
                    OutgoingClientName = query.GetValueOrDefault("clientName"),
                    OutgoingParameters = query.TryGetValue("appParams", out var parameters) ? Query(parameters) : result.OutgoingParameters,
                };
            }
        }

        return result;
    }

    private static Dictionary<string, string> Query(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            values[key] = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
        }

        return values;
    }
}
