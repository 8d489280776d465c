using System.Globalization;
using Telephony.Core.Text;

namespace Telephony.Core.Callbacks;

/// <summary>A recording as its status callback describes it.</summary>
public sealed record RecordingStatusReport(
    string AccountSid,
    string CallSid,
    string RecordingSid,
    string RecordingUrl,
    string Source,
    DateTimeOffset StartTime,
    int Channels = 1,
    int? DurationSeconds = null);

/// <summary>
/// Twilio's recordingStatusCallback: events in-progress (recording started), completed (audio stored) and absent
/// (nothing was recorded), each a <see cref="CallbackMessage"/> on the recording's own ordered stream, delivered,
/// signed and retried by deliver-callbacks like status callbacks.
/// </summary>
public static class RecordingStatusCallbacks
{
    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string Absent = "absent";

    public static CallbackMessage Create(
        RecordingStatusReport report, string url, string method, string eventName, int sequenceNumber, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new CallbackMessage
        {
            AccountSid = report.AccountSid,
            CallSid = report.CallSid,
            Url = url,
            Method = string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) ? "GET" : "POST",
            Event = eventName,
            SequenceNumber = sequenceNumber,
            Stream = CallbackMessage.RecordingStream(report.RecordingSid),
            Parameters = Parameters(report, eventName),
            CreatedAt = createdAt,
        };
    }

    /// <summary>The parameters Twilio posts with a recording status callback.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parameters(RecordingStatusReport report, string eventName)
    {
        ArgumentNullException.ThrowIfNull(report);
        var parameters = new List<KeyValuePair<string, string>>(10)
        {
            new("AccountSid", report.AccountSid),
            new("CallSid", report.CallSid),
            new("RecordingSid", report.RecordingSid),
            new("RecordingUrl", report.RecordingUrl),
            new("RecordingStatus", eventName),
            new("RecordingChannels", report.Channels.ToString(CultureInfo.InvariantCulture)),
            new("RecordingStartTime", Rfc2822.Format(report.StartTime)),
            new("RecordingSource", report.Source),
        };
        if (eventName == Completed)
        {
            parameters.Add(new("RecordingDuration", (report.DurationSeconds ?? 0).ToString(CultureInfo.InvariantCulture)));
        }

        return parameters;
    }
}
