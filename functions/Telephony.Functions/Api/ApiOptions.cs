namespace Telephony.Functions.Api;

/// <summary>REST API settings, bound from configuration section <c>Telephony:Api</c> (admin key: <c>Telephony:AdminKey</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Telephony:Api";
    public const string AdminKeySetting = "Telephony:AdminKey";

    /// <summary>Sustained requests per second per account (each API instance counts on its own).</summary>
    public double RequestsPerSecond { get; set; } = 100;

    /// <summary>Requests an account may make at once before the sustained rate applies.</summary>
    public double Burst { get; set; } = 200;

    /// <summary>Largest accepted request body; Twilio's parameters (TwiML up to 4000 characters) fit easily.</summary>
    public long MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Largest body of <c>POST /v1/Accounts/{AC}/CallBatches</c> (streamed, never held whole): 100,000 rows
    /// of number, number and URL fit in a few MiB; rows with long Twiml need more.
    /// </summary>
    public long MaxBatchBodyBytes { get; set; } = 64L * 1024 * 1024;
}
