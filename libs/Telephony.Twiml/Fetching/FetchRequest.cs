namespace Telephony.Twiml.Fetching;

/// <summary>One instruction request: the tenant URL (maybe with <c>#ct=…</c> overrides), method, parameters, fallback.</summary>
public sealed record FetchRequest
{
    public required string Url { get; init; }

    /// <summary>GET or POST; anything else is sent as POST, as Twilio does.</summary>
    public string Method { get; init; } = "POST";

    /// <summary>Absolute URL that relative <see cref="Url"/>s resolve against (the current document's URL).</summary>
    public string? BaseUrl { get; init; }

    public string? FallbackUrl { get; init; }

    public string FallbackMethod { get; init; } = "POST";

    /// <summary>
    /// The account's auth token, the HMAC key of <c>X-Twilio-Signature</c>. Empty on media nodes: their
    /// <c>RemoteInstructionSource</c> ignores it and the instructions function signs with the stored token.
    /// </summary>
    public string AuthToken { get; init; } = string.Empty;

    /// <summary>Standard call parameters plus the verb's result parameters, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];
}
