using Microsoft.Extensions.Logging;
using Telephony.Media.Recording;
using Telephony.Sip.Rtp;

namespace Telephony.MediaNode.Recording;

/// <summary>A stored Dial recording, as the Dial action reports it.</summary>
public sealed record StoredDialRecording(string RecordingUrl, string RecordingSid, TimeSpan Duration);

/// <summary>
/// One &lt;Dial record&gt; in progress: the caller's and the callee's played-out frames (through <see cref="RecordingTap"/>s)
/// paired frame by frame on the caller's clock — summed into one channel, or interleaved as two (caller first) — into a
/// <see cref="FrameRecorder"/> over a temporary file, then stored by the <see cref="RecordingPublisher"/> as the parent
/// call's recording. Until the callee's audio starts (record-from-ringing) its side is silence.
/// </summary>
public sealed partial class BridgeRecording : IAsyncDisposable
{
    private static readonly short[] Silence = new short[160];
    private readonly RecordingPublisher _publisher;
    private readonly ILogger _logger;
    private readonly FileStream _file;
    private readonly FrameRecorder _recorder;
    private readonly InboundAudioCapture _caller = new();
    private readonly InboundAudioCapture _callee = new();
    private readonly bool _dual;
    private readonly RecordingJob _job;
    private readonly Task _announced;
    private readonly Task _mixing;

    internal BridgeRecording(RecordingPublisher publisher, RecordingJob job, FileStream file, bool dual, bool trimSilence, TimeSpan maxLength, ILogger logger)
    {
        _publisher = publisher;
        _job = job;
        _file = file;
        _dual = dual;
        _logger = logger;
        // No silence timeout: a Dial recording lasts as long as the bridge.
        _recorder = new FrameRecorder(file, new RecordingEndRules(TimeSpan.Zero, maxLength * (dual ? 2 : 1)), trimSilence, channels: dual ? 2 : 1);
        _announced = publisher.AnnounceAsync(job, CancellationToken.None);
        _mixing = Task.Run(MixAsync);
    }

    public string RecordingSid => _job.RecordingSid;

    /// <summary>The caller's sink with the recording beside it.</summary>
    public IAudioSink TapCaller(IAudioSink? next) => new RecordingTap(next, _caller);

    /// <summary>The callee's sink with the recording beside it.</summary>
    public IAudioSink TapCallee(IAudioSink? next) => new RecordingTap(next, _callee);

    /// <summary>
    /// Ends the capture (call it once the taps are off both legs), stores the WAV and sends the completed callback; a
    /// recording that holds nothing, or could not be stored, is reported absent and gives null.
    /// </summary>
    public async Task<StoredDialRecording?> FinishAsync(CancellationToken cancellationToken)
    {
        _caller.Complete();
        _callee.Complete();
        await _mixing;
        await _announced.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var audio = _recorder.Finish();
        LogEnded(_logger, _job.CallSid, _job.AccountSid, _job.RecordingSid, audio.Duration.TotalSeconds, _caller.Dropped + _callee.Dropped);
        try
        {
            if (audio.Samples == 0)
            {
                await _publisher.AbsentAsync(_job, cancellationToken);
                return null;
            }

            var record = await _publisher.CompleteAsync(_job, _file, audio, cancellationToken);
            return new StoredDialRecording(_publisher.UrlOf(record.AccountSid, record.Sid), record.Sid, audio.Duration);
        }
        catch (Exception e) when (Core.Storage.StorageFaults.IsStorageFailure(e))
        {
            LogStoreFailed(_logger, e, _job.CallSid, _job.RecordingSid);
            return null;
        }
    }

    /// <summary>Pairs each caller frame with the callee's next one (silence before the callee's audio starts or after it ends).</summary>
    private async Task MixAsync()
    {
        var output = new short[_dual ? 320 : 160];
        var calleeStarted = false;
        await foreach (var caller in _caller.Frames.ReadAllAsync())
        {
            short[]? callee = null;
            if (calleeStarted)
            {
                if (await _callee.Frames.WaitToReadAsync())
                {
                    _callee.Frames.TryRead(out callee);
                }
            }
            else
            {
                calleeStarted = _callee.Frames.TryRead(out callee);
            }

            Combine(caller, callee ?? Silence, output);
            _recorder.Append(output);
        }
    }

    private void Combine(short[] caller, short[] callee, short[] output)
    {
        for (var i = 0; i < Silence.Length; i++)
        {
            if (_dual)
            {
                output[2 * i] = caller[i];
                output[(2 * i) + 1] = callee[i];
            }
            else
            {
                output[i] = (short)Math.Clamp(caller[i] + callee[i], short.MinValue, short.MaxValue);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _caller.Complete();
        _callee.Complete();
        await _mixing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _file.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Dial recording {RecordingSid} of {CallSid} ({AccountSid}) ended: {Seconds:F2} s, {Dropped} frames dropped")]
    private static partial void LogEnded(ILogger logger, string callSid, string accountSid, string recordingSid, double seconds, long dropped);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dial recording {RecordingSid} of {CallSid} could not be stored")]
    private static partial void LogStoreFailed(ILogger logger, Exception error, string callSid, string recordingSid);
}
