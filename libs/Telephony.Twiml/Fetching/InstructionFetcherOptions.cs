namespace Telephony.Twiml.Fetching;

public sealed record InstructionFetcherOptions
{
    /// <summary>Local mode and tests: let tenant URLs reach loopback and private addresses.</summary>
    public bool AllowInternalAddresses { get; init; }

    /// <summary>HTTP redirects followed per request before 11215.</summary>
    public int MaxRedirects { get; init; } = 5;

    public string UserAgent { get; init; } = "TwilioProxy/1.1";
}
