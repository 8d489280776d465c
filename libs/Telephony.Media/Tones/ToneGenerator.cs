namespace Telephony.Media.Tones;

/// <summary>
/// Plays a <see cref="ToneCadence"/> forever, one buffer at a time, at 8 kHz: each step's frequencies summed at a level
/// that cannot clip, then silence, steps in order. Phases run on across steps, so tones never click mid-step.
/// </summary>
public sealed class ToneGenerator
{
    private const int SampleRate = 8000;

    /// <summary>Peak level of the summed frequencies: about −9 dBFS, a comfortable ringback level.</summary>
    private const double Peak = 11000;

    private readonly ToneCadence _cadence;
    private readonly int[] _stepStarts;
    private readonly int _periodSamples;
    private long _position;

    public ToneGenerator(ToneCadence cadence)
    {
        ArgumentNullException.ThrowIfNull(cadence);
        if (cadence.Steps.Count == 0 || cadence.PeriodMs <= 0)
        {
            throw new ArgumentException("a cadence needs at least one step of positive length", nameof(cadence));
        }

        _cadence = cadence;
        _stepStarts = new int[cadence.Steps.Count];
        var start = 0;
        for (var i = 0; i < cadence.Steps.Count; i++)
        {
            _stepStarts[i] = start;
            start += Samples(cadence.Steps[i].OnMs + cadence.Steps[i].OffMs);
        }

        _periodSamples = start;
    }

    public ToneCadence Cadence => _cadence;

    /// <summary>Fills <paramref name="destination"/> with the next samples of the tone.</summary>
    public void Read(Span<short> destination)
    {
        for (var n = 0; n < destination.Length; n++, _position++)
        {
            var inPeriod = (int)(_position % _periodSamples);
            var step = StepAt(inPeriod);
            var tone = _cadence.Steps[step];
            if (inPeriod - _stepStarts[step] >= Samples(tone.OnMs))
            {
                destination[n] = 0;
                continue;
            }

            var t = _position / (double)SampleRate;
            var sum = 0.0;
            foreach (var hz in tone.FrequenciesHz)
            {
                sum += Math.Sin(2 * Math.PI * hz * t);
            }

            destination[n] = (short)(Peak * sum / tone.FrequenciesHz.Length);
        }
    }

    private int StepAt(int inPeriod)
    {
        var step = _stepStarts.Length - 1;
        while (_stepStarts[step] > inPeriod)
        {
            step--;
        }

        return step;
    }

    private static int Samples(int milliseconds) => milliseconds * SampleRate / 1000;
}
