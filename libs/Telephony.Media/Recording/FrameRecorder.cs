namespace Telephony.Media.Recording;

/// <summary>What a finished recording holds: its length after trimming, and whether anyone spoke at all.</summary>
public sealed record RecordedAudio(TimeSpan Duration, long Samples, bool HeardVoice)
{
    /// <summary>Twilio's "empty recording": nothing said (or nothing left after trimming).</summary>
    public bool IsEmpty => !HeardVoice || Samples == 0;
}

/// <summary>
/// Records a stream of 8 kHz PCM16 frames (a caller's inbound audio, or one leg of a bridge) into a WAV file on a
/// seekable stream: voice activity per frame, optional silence trimming, and the audio-clock end rules (silence
/// timeout, max length). The caller feeds frames and stops on whatever else ends the recording (keys, hang-up).
/// </summary>
public sealed class FrameRecorder
{
    private readonly WavStreamWriter _writer;
    private readonly SilenceTrimmer? _trimmer;
    private readonly RecordingEndRules _rules;
    private readonly VoiceActivityDetector _detector;
    private bool _heardVoice;

    /// <param name="channels">1, or 2 for a dual recording: frames then hold both channels' samples interleaved.</param>
    public FrameRecorder(Stream destination, RecordingEndRules rules, bool trimSilence, VoiceActivityDetector? detector = null, int channels = 1)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _writer = new WavStreamWriter(destination, channels: channels);
        _trimmer = trimSilence ? new SilenceTrimmer(_writer) : null;
        _rules = rules;
        _detector = detector ?? new VoiceActivityDetector();
    }

    /// <summary>Why the recording ended by its own rules, once it has (further frames are ignored).</summary>
    public RecordingStop? Ended { get; private set; }

    /// <summary>Every sample received, trimmed or not (the recording's wall length).</summary>
    public long ReceivedSamples { get; private set; }

    /// <summary>Records one frame; returns the end condition it triggered, or null to go on.</summary>
    public RecordingStop? Append(ReadOnlySpan<short> frame)
    {
        if (Ended is not null)
        {
            return Ended;
        }

        var voice = _detector.IsVoice(frame);
        _heardVoice |= voice;
        ReceivedSamples += frame.Length;
        if (_trimmer is not null)
        {
            _trimmer.Append(frame, voice);
        }
        else
        {
            _writer.Append(frame);
        }

        Ended = _rules.OnFrame(frame.Length, voice);
        return Ended;
    }

    /// <summary>Trims (when asked), writes the final header and rewinds the stream to its start.</summary>
    public RecordedAudio Finish()
    {
        _trimmer?.Finish();
        _writer.Finish();
        return new RecordedAudio(_writer.Duration, _writer.Samples, _heardVoice);
    }
}
