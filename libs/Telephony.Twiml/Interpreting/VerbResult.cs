namespace Telephony.Twiml.Interpreting;

/// <summary>What the interpreter does after a verb: next verb, a new document, or the end of the call.</summary>
public abstract record VerbResult
{
    public static VerbResult Continue { get; } = new ContinueResult();

    public static VerbResult Fetch(string url, string method, IReadOnlyList<KeyValuePair<string, string>> parameters) =>
        new FetchNext(url, method, parameters, EndAfterwards: false);

    /// <summary>The caller is gone but the verb still reports to its action URL (whose answer is ignored), as Twilio does.</summary>
    public static VerbResult ReportAndEnd(string url, string method, IReadOnlyList<KeyValuePair<string, string>> parameters, string reason) =>
        new FetchNext(url, method, parameters, EndAfterwards: true, reason);

    public static VerbResult End(string status, string reason) => new EndResult(status, reason);

    public sealed record ContinueResult : VerbResult;

    public sealed record FetchNext(string Url, string Method, IReadOnlyList<KeyValuePair<string, string>> Parameters, bool EndAfterwards, string? EndReason = null) : VerbResult;

    public sealed record EndResult(string Status, string Reason) : VerbResult;
}
