using System.Globalization;
using Telephony.Twiml.Fetching;

namespace Telephony.Twiml.Remote;

/// <summary>
/// How an instruction fetch is recorded on the call's events: one line a tenant can read, e.g.
/// <c>initial POST https://app/voice -> twiml (3 verbs) in 42 ms</c>. The node records it (with its next write of the
/// call); the instructions endpoint logs the same line.
/// </summary>
public static class FetchDescription
{
    /// <summary>The call event that records one instruction fetch (detail: reason, method, URL, outcome, latency).</summary>
    public const string EventType = "instructions-fetched";

    /// <summary>Header of the endpoint's answer: milliseconds the fetch took at the endpoint (the tenant's server and retries).</summary>
    public const string ElapsedHeader = "Telephony-Fetch-Milliseconds";

    private const int MaxLength = 1000;

    public static string Describe(NodeInstructionRequest request, FetchResult result, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        var outcome = result switch
        {
            { Program: { } program } => $"twiml ({program.Verbs.Count} verbs)",
            { AudioUrl: { } audio } => "audio " + audio,
            { Error: { } error } => $"error {error.Code.ToString(CultureInfo.InvariantCulture)}: {error.Message}",
            _ => "nothing",
        };
        var warnings = result.Notifications.Count(n => n != result.Error);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{request.Reason} {request.Method} {result.DocumentUrl ?? request.Url} -> {outcome} in {elapsed.TotalMilliseconds:F0} ms");
        if (warnings > 0)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"; {warnings} notification(s), first {result.Notifications[0].Code}");
        }

        return text.Length <= MaxLength ? text : text[..MaxLength];
    }
}
