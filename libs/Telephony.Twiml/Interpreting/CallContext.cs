namespace Telephony.Twiml.Interpreting;

/// <summary>The call a program runs for: its identity (sent as Twilio's standard parameters) and where its TwiML lives.</summary>
public sealed record CallContext
{
    public required string AccountSid { get; init; }

    public required string CallSid { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    /// <summary>inbound, outbound-api or outbound-dial.</summary>
    public string Direction { get; init; } = "inbound";

    public string ApiVersion { get; init; } = "2010-04-01";

    public string? ForwardedFrom { get; init; }

    public string? CallerName { get; init; }

    public string? ParentCallSid { get; init; }

    /// <summary>The HMAC key for <c>X-Twilio-Signature</c>; empty when a remote instruction source signs instead.</summary>
    public string AuthToken { get; init; } = string.Empty;

    public required string Url { get; init; }

    public string Method { get; init; } = "POST";

    public string? FallbackUrl { get; init; }

    public string FallbackMethod { get; init; } = "POST";

    /// <summary>Parameters sent after the standard ones, e.g. a client call's token params and SIP X- headers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CustomParameters { get; init; } = [];

    /// <summary>Twilio's standard request parameters for the call in its current status.</summary>
    public List<KeyValuePair<string, string>> StandardParameters(string callStatus)
    {
        var parameters = new List<KeyValuePair<string, string>>(12)
        {
            new("AccountSid", AccountSid),
            new("ApiVersion", ApiVersion),
            new("CallSid", CallSid),
            new("CallStatus", callStatus),
            new("Called", To),
            new("Caller", From),
            new("Direction", Direction),
            new("From", From),
            new("To", To),
        };
        AddIfSet(parameters, "ForwardedFrom", ForwardedFrom);
        AddIfSet(parameters, "CallerName", CallerName);
        AddIfSet(parameters, "ParentCallSid", ParentCallSid);
        parameters.AddRange(CustomParameters);
        return parameters;
    }

    private static void AddIfSet(List<KeyValuePair<string, string>> parameters, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            parameters.Add(new(name, value));
        }
    }
}
