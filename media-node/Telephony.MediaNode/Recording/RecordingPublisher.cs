using Microsoft.Extensions.Logging;
using Telephony.Core.Callbacks;
using Telephony.Core.Messaging;
using Telephony.Core.Recordings;
using Telephony.Media.Recording;
using Telephony.MediaNode.Configuration;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Recording;

/// <summary>One recording being made on a call: its sid (known from the start), source, channels and status callback.</summary>
public sealed class RecordingJob(
    string accountSid, string callSid, string recordingSid, string source, DateTimeOffset startTime, RecordingStatusCallback? callback, int channels = 1)
{
    private int _sequence;

    public string AccountSid { get; } = accountSid;

    public string CallSid { get; } = callSid;

    public string RecordingSid { get; } = recordingSid;

    /// <summary>Twilio's Source: RecordVerb, DialVerb…</summary>
    public string Source { get; } = source;

    public DateTimeOffset StartTime { get; } = startTime;

    public RecordingStatusCallback? Callback { get; } = callback;

    /// <summary>1, or 2 for a dual Dial recording.</summary>
    public int Channels { get; } = channels;

    /// <summary>The next SequenceNumber of this recording's callback stream.</summary>
    internal int NextSequence() => Interlocked.Increment(ref _sequence) - 1;
}

/// <summary>
/// Stores finished recordings (the WAV to Blob storage and the Recording resource, through <see cref="RecordingStore"/>)
/// and queues their recordingStatusCallback events for deliver-callbacks. Used by &lt;Record&gt; and &lt;Dial record&gt;.
/// </summary>
public sealed class RecordingPublisher(RecordingStore store, MessageQueue queue, NodeOptions options, TimeProvider time, ILogger<RecordingPublisher> logger)
{
    private readonly string _apiUrl = (options.ApiUrl ?? options.FunctionsUrl ?? string.Empty).TrimEnd('/');

    /// <summary>A new recording starting now: its sid is known from here on (no I/O, so capture can start at once).</summary>
    public RecordingJob Start(string accountSid, string callSid, string source, RecordingStatusCallback? callback, int channels = 1) =>
        new(accountSid, callSid, store.NewSid(), source, time.GetUtcNow(), callback, channels);

    /// <summary>The in-progress callback, when asked for; call it right after <see cref="Start"/> (it takes the first sequence number).</summary>
    public Task AnnounceAsync(RecordingJob job, CancellationToken cancellationToken) =>
        NotifyAsync(job, RecordingStatusCallbacks.InProgress, null, cancellationToken);

    /// <summary>The absolute RecordingUrl (no extension, as Twilio sends it).</summary>
    public string UrlOf(string accountSid, string recordingSid) => _apiUrl + RecordingPaths.Media(accountSid, recordingSid);

    /// <summary>Stores the finished WAV (read from <paramref name="wav"/>'s current position) and sends the completed callback.</summary>
    public async Task<RecordingRecord> CompleteAsync(RecordingJob job, Stream wav, RecordedAudio audio, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(audio);
        var record = await store.SaveAsync(
            job.AccountSid, job.CallSid, job.Source, wav, audio.Duration, job.StartTime, job.Channels, job.RecordingSid, cancellationToken);
        logger.LogInformation("Recording {RecordingSid} of {CallSid} ({AccountSid}) stored: {Duration} s, {Bytes} bytes",
            record.Sid, job.CallSid, job.AccountSid, record.Duration, record.SizeBytes);
        await NotifyAsync(job, RecordingStatusCallbacks.Completed, record.Duration, cancellationToken);
        return record;
    }

    /// <summary>Nothing was recorded: no resource, and the absent callback when asked for.</summary>
    public Task AbsentAsync(RecordingJob job, CancellationToken cancellationToken) =>
        NotifyAsync(job, RecordingStatusCallbacks.Absent, null, cancellationToken);

    private async Task NotifyAsync(RecordingJob job, string eventName, int? durationSeconds, CancellationToken cancellationToken)
    {
        if (job.Callback is not { } callback || !callback.Wants(eventName))
        {
            return;
        }

        var report = new RecordingStatusReport(
            job.AccountSid, job.CallSid, job.RecordingSid, UrlOf(job.AccountSid, job.RecordingSid), job.Source, job.StartTime, job.Channels, durationSeconds);
        var message = RecordingStatusCallbacks.Create(report, callback.Url, callback.Method, eventName, job.NextSequence(), time.GetUtcNow());
        await queue.SendAsync(QueueNames.Callbacks, message, cancellationToken: cancellationToken);
    }
}
