namespace Telephony.Media.Dsp;

/// <summary>
/// Rational-ratio resampler (up by L, down by M) with a Kaiser-windowed sinc prototype split into L
/// precomputed phases. Each output is one SIMD dot product of a contiguous input window with one phase.
/// Output n sits at input time n·M/L exactly (the prototype's group delay is compensated).
/// </summary>
public sealed class PolyphaseResampler : IResampler
{
    public const int MaxPhases = 4096;

    private readonly int _up;
    private readonly int _down;
    private readonly int _taps;
    private readonly float[] _phases;
    private readonly int _flushLength;
    private float[] _buffer;
    private int _count;
    private int _position;
    private int _phase;

    public PolyphaseResampler(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        InputRate = inputRate;
        OutputRate = outputRate;
        var divisor = Gcd(inputRate, outputRate);
        _up = outputRate / divisor;
        _down = inputRate / divisor;
        if (_up > MaxPhases)
        {
            throw new ArgumentException($"the ratio {outputRate}/{inputRate} needs too many filter phases ({_up})");
        }

        var pass = FilterSpec.PassBandEdgeHz(inputRate, outputRate);
        var stop = FilterSpec.StopBandEdgeHz(inputRate, outputRate);
        _taps = KaiserWindow.Length(FilterSpec.DesignAttenuationDb, (stop - pass) / inputRate);
        var length = _taps * _up;
        var prototype = KaiserWindow.LowPass(length, (pass + stop) / 2 / ((double)inputRate * _up), FilterSpec.DesignAttenuationDb, _up);

        // Phase p, window slot j multiplies x[i - (taps-1) + j], i.e. prototype tap p + (taps-1-j)·L.
        _phases = new float[_up * _taps];
        for (var p = 0; p < _up; p++)
        {
            for (var j = 0; j < _taps; j++)
            {
                _phases[(p * _taps) + j] = (float)prototype[p + ((_taps - 1 - j) * _up)];
            }
        }

        // History starts as taps-1 zeros standing for the samples before the first input.
        _buffer = new float[_taps * 4];
        _count = _taps - 1;
        var delay = (length - 1) / 2;
        _position = delay / _up;
        _phase = delay % _up;
        _flushLength = _taps;
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    public int TapsPerPhase => _taps;

    /// <summary>How many filter phases (the reduced up-sampling factor) a rate pair needs.</summary>
    public static int PhasesFor(int inputRate, int outputRate) => outputRate / Gcd(inputRate, outputRate);

    public int MaxOutputLength(int inputLength) => (int)((((long)inputLength + _taps) * _up / _down) + 2);

    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        Append(input);
        var produced = 0;
        while (_position + _taps <= _count)
        {
            if (produced == output.Length)
            {
                throw new ArgumentException("output is too small; size it with MaxOutputLength", nameof(output));
            }

            output[produced++] = VectorMath.Dot(_buffer.AsSpan(_position, _taps), _phases.AsSpan(_phase * _taps, _taps));
            _phase += _down;
            _position += _phase / _up;
            _phase %= _up;
        }

        Compact();
        return produced;
    }

    public int Flush(Span<float> output)
    {
        Span<float> silence = stackalloc float[Math.Min(_flushLength, 1024)];
        var produced = 0;
        for (var remaining = _flushLength; remaining > 0; remaining -= silence.Length)
        {
            produced += Process(silence[..Math.Min(silence.Length, remaining)], output[produced..]);
        }

        return produced;
    }

    private void Append(ReadOnlySpan<float> input)
    {
        if (_count + input.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + input.Length));
        }

        input.CopyTo(_buffer.AsSpan(_count));
        _count += input.Length;
    }

    private void Compact()
    {
        var keep = _count - _position;
        if (keep > 0)
        {
            _buffer.AsSpan(_position, keep).CopyTo(_buffer);
            _count = keep;
            _position = 0;
        }
        else
        {
            // Decimation can step past what is buffered: remember how many future inputs to skip.
            _count = 0;
            _position = -keep;
        }
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
