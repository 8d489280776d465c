namespace Telephony.Media.Recording;

/// <summary>Why a recording ended.</summary>
public enum RecordingStop
{
    /// <summary>The caller was silent for the silence timeout.</summary>
    Silence,

    /// <summary>The recording reached its maximum length.</summary>
    MaxLength,

    /// <summary>The caller pressed a finish key.</summary>
    FinishKey,

    /// <summary>The caller hung up.</summary>
    HangUp,

    /// <summary>The program stopped the recording (a redirect or hang-up through the API, the call's time limit).</summary>
    Stopped,
}

/// <summary>
/// The end conditions that depend on audio alone, counted in frames of received audio (so they follow the
/// media clock, not the scheduler): <see cref="SilenceTimeout"/> of consecutive silence (zero disables it;
/// silence from the start counts too, as nothing said is silence) and <see cref="MaxLength"/>.
/// </summary>
public sealed class RecordingEndRules
{
    private readonly long _maxSamples;
    private readonly long _silenceSamples;
    private long _samples;
    private long _silentRun;

    public RecordingEndRules(TimeSpan silenceTimeout, TimeSpan maxLength, int sampleRate = 8000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxLength, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(silenceTimeout, TimeSpan.Zero);
        SilenceTimeout = silenceTimeout;
        MaxLength = maxLength;
        _maxSamples = (long)Math.Round(maxLength.TotalSeconds * sampleRate);
        _silenceSamples = (long)Math.Round(silenceTimeout.TotalSeconds * sampleRate);
    }

    public TimeSpan SilenceTimeout { get; }

    public TimeSpan MaxLength { get; }

    /// <summary>Counts one frame; returns why the recording ends after it, or null to go on.</summary>
    public RecordingStop? OnFrame(int samples, bool voice)
    {
        _samples += samples;
        _silentRun = voice ? 0 : _silentRun + samples;
        if (_samples >= _maxSamples)
        {
            return RecordingStop.MaxLength;
        }

        return _silenceSamples > 0 && _silentRun >= _silenceSamples ? RecordingStop.Silence : null;
    }
}
