using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Telephony.Media.Recording;
using Telephony.MediaNode.Calls;
using Telephony.MediaNode.Configuration;
using Telephony.Sip.Calls;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Recording;

/// <summary>The live call a &lt;Record&gt; runs on: who it belongs to, its SIP call, what it plays and the digits it receives.</summary>
public sealed record RecordTarget(string AccountSid, string CallSid, SipCall Call, PromptSource Prompt, ChannelReader<char> Digits);

/// <summary>
/// &lt;Record&gt; on a SIP call: the beep, then the caller's inbound audio into a WAV file (a temporary file, so memory
/// stays bounded for any length) until a finish key, the silence timeout, maxLength or hang-up; trimmed when asked;
/// stored as a Recording with its callbacks. Nothing said is Twilio's empty recording: no resource, no action request.
/// </summary>
public sealed partial class RecordVerbRecorder(RecordingPublisher publisher, NodeOptions options, TimeProvider time, ILogger<RecordVerbRecorder> logger)
{
    public const string Source = "RecordVerb";

    // If the pacer stops delivering frames (the session closed under us), wall time still ends the recording.
    private static readonly TimeSpan ClockSlack = TimeSpan.FromSeconds(5);
    private static readonly short[] Beep = RecordingBeep.Samples();

    public async Task<RecordingOutcome> RecordAsync(RecordTarget target, RecordingOptions recording, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(recording);
        var call = target.Call;
        if (call.Completion.IsCompleted || call.Media is not { } media)
        {
            return Empty(null, call.Completion.IsCompleted);
        }

        await using var file = RecordingFiles.OpenTemp(options);
        var recorder = new FrameRecorder(file, new RecordingEndRules(recording.SilenceTimeout, recording.MaxLength), recording.TrimSilence);
        var capture = new InboundAudioCapture();
        if (recording.PlayBeep)
        {
            await Task.WhenAny(target.Prompt.Start(Beep).WaitAsync(cancellationToken), call.Completion);
            cancellationToken.ThrowIfCancellationRequested();
            if (call.Completion.IsCompleted)
            {
                return Empty("hangup", true);
            }
        }

        // Capture first, storage later: the caller starts talking right after the beep.
        var previousSink = media.AudioSink;
        media.AudioSink = capture;
        var job = publisher.Start(target.AccountSid, target.CallSid, Source, recording.StatusCallback);
        var announced = publisher.AnnounceAsync(job, cancellationToken);
        (RecordingStop Stop, char? Key) end;
        try
        {
            end = await CaptureAsync(target, capture, recorder, recording, cancellationToken);
        }
        finally
        {
            media.AudioSink = previousSink;
            capture.Complete();
            await announced.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (announced.IsFaulted)
        {
            LogAnnounceFailed(logger, announced.Exception.InnerException, target.CallSid, job.RecordingSid);
        }

        var audio = recorder.Finish();
        var hungUp = end.Stop == RecordingStop.HangUp;
        LogEnded(logger, target.CallSid, target.AccountSid, end.Stop, audio.Duration.TotalSeconds, audio.HeardVoice, capture.Dropped);

        // A redirect or API hang-up stops the program, not the recording: what was said is still kept.
        var store = end.Stop == RecordingStop.Stopped ? CancellationToken.None : cancellationToken;
        var digits = hungUp ? "hangup" : end.Key?.ToString();
        if (audio.IsEmpty)
        {
            await publisher.AbsentAsync(job, store);
            cancellationToken.ThrowIfCancellationRequested();
            return Empty(digits, hungUp);
        }

        var record = await publisher.CompleteAsync(job, file, audio, store);
        cancellationToken.ThrowIfCancellationRequested();
        return new RecordingOutcome(publisher.UrlOf(record.AccountSid, record.Sid), record.Sid, audio.Duration, digits, hungUp);
    }

    /// <summary>Feeds frames to the recorder until it ends by itself, a finish key, the hang-up or the program stopping.</summary>
    private async Task<(RecordingStop Stop, char? Key)> CaptureAsync(
        RecordTarget target, InboundAudioCapture capture, FrameRecorder recorder, RecordingOptions recording, CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Task.Delay(recording.MaxLength + ClockSlack, time, waiting.Token);
        Task? frameReady = null, digitReady = null;
        try
        {
            while (true)
            {
                while (capture.Frames.TryRead(out var frame))
                {
                    if (recorder.Append(frame) is { } stop)
                    {
                        return (stop, null);
                    }
                }

                while (target.Digits.TryRead(out var digit))
                {
                    if (recording.FinishOnKey.Contains(digit, StringComparison.Ordinal))
                    {
                        return (RecordingStop.FinishKey, digit);
                    }
                }

                if (target.Call.Completion.IsCompleted)
                {
                    return (RecordingStop.HangUp, null);
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    return (RecordingStop.Stopped, null);
                }

                if (clock.IsCompleted)
                {
                    return (RecordingStop.MaxLength, null);
                }

                // Keep one waiter per source across turns; a source that can never deliver again just waits for the end.
                frameReady ??= capture.Frames.WaitToReadAsync(waiting.Token).AsTask();
                digitReady ??= target.Digits.WaitToReadAsync(waiting.Token).AsTask();
                await Task.WhenAny(frameReady, digitReady, target.Call.Completion, clock);
                frameReady = Rearm(frameReady, waiting.Token);
                digitReady = Rearm(digitReady, waiting.Token);
            }
        }
        finally
        {
            await waiting.CancelAsync();
        }
    }

    private static Task? Rearm(Task ready, CancellationToken token) => ready.IsCompleted
        ? ready is Task<bool> { IsCompletedSuccessfully: true, Result: true } ? null : Task.Delay(Timeout.Infinite, token)
        : ready;

    private static RecordingOutcome Empty(string? digits, bool hungUp) => new(null, null, TimeSpan.Zero, digits, hungUp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Record on {CallSid}: the in-progress callback of {RecordingSid} could not be queued")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception? error, string callSid, string recordingSid);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Record on {CallSid} ({AccountSid}) ended by {Stop}: {Seconds:F2} s kept, voice heard {HeardVoice}, {Dropped} frames dropped")]
    private static partial void LogEnded(ILogger logger, string callSid, string accountSid, RecordingStop stop, double seconds, bool heardVoice, long dropped);
}
