using Telephony.Core.Batches;
using Telephony.Core.Calls;

namespace Telephony.Functions.Api.Resources;

/// <summary>The CallBatch resource (<c>/v1</c>, so ISO 8601 dates as Twilio's v1 APIs use).</summary>
internal static class CallBatchResource
{
    public static Dictionary<string, object?> Of(CallBatchProgress progress, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var b = progress.Batch;
        var eta = progress.EtaSeconds;
        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["sid"] = b.Sid,
            ["account_sid"] = b.AccountSid,
            ["status"] = progress.Status,
            ["call_count"] = b.CallCount,
            ["rejected_count"] = b.RejectedCount,
            ["upload_complete"] = b.UploadComplete,
            ["counts"] = Enum.GetValues<CallStatus>().ToDictionary(CallStatuses.ToWire, s => progress.Count(s), StringComparer.Ordinal),
            ["calls_per_second"] = progress.CallsPerSecond,
            ["eta_seconds"] = eta,
            ["estimated_completion"] = eta is { } seconds ? now.AddSeconds(seconds).ToString("O", System.Globalization.CultureInfo.InvariantCulture) : null,
            ["date_created"] = b.DateCreated.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["date_updated"] = b.DateUpdated.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["url"] = ApiRoutes.CallBatch(b.AccountSid, b.Sid),
            ["links"] = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["calls"] = ApiRoutes.Calls(b.AccountSid) + "?BatchSid=" + b.Sid,
            },
        };
    }

    public static Dictionary<string, object?> Error(BatchRowError error) => new(StringComparer.Ordinal)
    {
        ["row"] = error.Row,
        ["line"] = error.Line,
        ["code"] = error.Code,
        ["message"] = error.Message,
    };
}
