using Microsoft.Extensions.Logging;
using Telephony.MediaNode.Configuration;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Recording;

/// <summary>Starts &lt;Dial record&gt; recordings: the parent call's, with Source DialVerb, one or two channels.</summary>
public sealed class DialRecorder(RecordingPublisher publisher, NodeOptions options, ILogger<DialRecorder> logger)
{
    public const string Source = "DialVerb";

    /// <summary>Twilio's longest call: only bounds the file, the bridge ends the recording.</summary>
    private static readonly TimeSpan MaxLength = TimeSpan.FromHours(4);

    /// <summary>A recording of <paramref name="callSid"/> starting now (its in-progress callback is queued on the way).</summary>
    public BridgeRecording Start(string accountSid, string callSid, DialRecording settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var job = publisher.Start(accountSid, callSid, Source, settings.StatusCallback, settings.DualChannel ? 2 : 1);
        return new BridgeRecording(publisher, job, RecordingFiles.OpenTemp(options), settings.DualChannel, settings.TrimSilence, MaxLength, logger);
    }
}
