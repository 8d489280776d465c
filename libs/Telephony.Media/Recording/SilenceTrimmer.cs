namespace Telephony.Media.Recording;

/// <summary>
/// Trims leading and trailing silence while a recording streams to a <see cref="WavStreamWriter"/> ("trim-silence"):
/// frames before the first voice wait in a short pre-roll (only the last <see cref="Margin"/> of them is kept), and
/// on <see cref="Finish"/> everything after the last voice frame plus the margin is cut off. A small margin keeps
/// the soft start and end of words that fall under the detector's threshold. Memory: the margin only.
/// </summary>
public sealed class SilenceTrimmer
{
    private readonly WavStreamWriter _writer;
    private readonly short[] _preRoll;
    private int _preRollStart;
    private int _preRollCount;
    private long _lastVoiceEnd;

    public SilenceTrimmer(WavStreamWriter writer, int marginSamples = DefaultMarginSamples)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(marginSamples);
        _writer = writer;
        _preRoll = new short[marginSamples];
    }

    /// <summary>100 ms at 8 kHz.</summary>
    public const int DefaultMarginSamples = 800;

    public int Margin => _preRoll.Length;

    public bool HeardVoice { get; private set; }

    public void Append(ReadOnlySpan<short> frame, bool voice)
    {
        if (!HeardVoice && !voice)
        {
            KeepInPreRoll(frame);
            return;
        }

        if (!HeardVoice)
        {
            HeardVoice = true;
            FlushPreRoll();
        }

        _writer.Append(frame);
        if (voice)
        {
            _lastVoiceEnd = _writer.Samples;
        }
    }

    /// <summary>Cuts the trailing silence; nothing is left when no voice was heard.</summary>
    public void Finish() => _writer.Truncate(HeardVoice ? Math.Min(_writer.Samples, _lastVoiceEnd + Margin) : 0);

    private void KeepInPreRoll(ReadOnlySpan<short> frame)
    {
        if (_preRoll.Length == 0)
        {
            return;
        }

        foreach (var sample in frame.Length > _preRoll.Length ? frame[^_preRoll.Length..] : frame)
        {
            var end = (_preRollStart + _preRollCount) % _preRoll.Length;
            _preRoll[end] = sample;
            if (_preRollCount < _preRoll.Length)
            {
                _preRollCount++;
            }
            else
            {
                _preRollStart = (_preRollStart + 1) % _preRoll.Length;
            }
        }
    }

    private void FlushPreRoll()
    {
        var first = Math.Min(_preRollCount, _preRoll.Length - _preRollStart);
        _writer.Append(_preRoll.AsSpan(_preRollStart, first));
        _writer.Append(_preRoll.AsSpan(0, _preRollCount - first));
        _preRollCount = 0;
    }
}
