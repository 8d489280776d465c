using Telephony.Core.Errors;

namespace Telephony.Core.Batches;

/// <summary>
/// The per-call parameters a batch row may carry: the names <c>Calls.json</c> accepts (validated by
/// <see cref="Calls.CallCreateParser"/>). Answering-machine detection is not implemented, so its
/// parameters are refused up front with a clear message rather than row by row.
/// </summary>
public static class BatchColumns
{
    /// <summary>Longest value of one field (URLs are at most 4096, Twiml at most 4000 characters).</summary>
    public const int MaxFieldLength = 4096;

    public static readonly IReadOnlySet<string> Allowed = new HashSet<string>(StringComparer.Ordinal)
    {
        "To", "From", "Url", "Twiml", "Method", "FallbackUrl", "FallbackMethod", "StatusCallback", "StatusCallbackMethod",
        "StatusCallbackEvent", "Timeout", "SendDigits", "TimeLimit", "Record", "RecordingChannels", "RecordingStatusCallback",
        "RecordingStatusCallbackMethod", "RecordingStatusCallbackEvent", "RecordingTrack", "Trim",
    };

    private static readonly string[] MachineDetection =
        ["MachineDetection", "MachineDetectionTimeout", "MachineDetectionSpeechThreshold", "MachineDetectionSpeechEndThreshold",
            "MachineDetectionSilenceTimeout", "AsyncAmd", "AsyncAmdStatusCallback", "AsyncAmdStatusCallbackMethod"];

    /// <summary>Why a column name cannot be used, or null when it can.</summary>
    public static string? Refusal(string name)
    {
        if (Allowed.Contains(name))
        {
            return null;
        }

        return Array.IndexOf(MachineDetection, name) >= 0
            ? $"{name} is not supported: answering-machine detection is not implemented for calls of this platform."
            : $"Unsupported column '{Parameters.ParameterRules.Truncate(name)}'; a row takes the parameters of Calls.json: {string.Join(", ", Allowed.Order(StringComparer.Ordinal))}.";
    }

    /// <summary>Throws a 400 naming the first column that cannot be used, or missing To/From columns.</summary>
    public static void ValidateHeader(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (Refusal(name) is { } refusal)
            {
                throw Invalid(refusal);
            }

            if (!seen.Add(name))
            {
                throw Invalid($"Column '{name}' appears twice in the header (StatusCallbackEvent takes space-separated events).");
            }
        }

        if (!seen.Contains("To") || !seen.Contains("From"))
        {
            throw Invalid("The CSV header must name the To and From columns (and Url or Twiml).");
        }
    }

    private static TwilioException Invalid(string message) => new(TwilioError.BadRequest(TwilioErrorCodes.InvalidParameter, message));
}
