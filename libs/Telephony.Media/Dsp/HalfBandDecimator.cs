namespace Telephony.Media.Dsp;

/// <summary>
/// Fast 2:1 decimator (16 kHz → 8 kHz): a Kaiser half-band filter has every other tap zero and is
/// symmetric, so each output costs about a quarter of the multiplies of a general polyphase filter.
/// </summary>
public sealed class HalfBandDecimator : IResampler
{
    private readonly float[] _pairTaps;
    private readonly float _centerTap;
    private readonly int _halfSpan;
    private float[] _buffer;
    private int _count;
    private int _position;

    public HalfBandDecimator(int inputRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        if (inputRate % 2 != 0)
        {
            throw new ArgumentException("a half-band decimator needs an even input rate", nameof(inputRate));
        }

        InputRate = inputRate;
        OutputRate = inputRate / 2;
        var pass = FilterSpec.PassBandEdgeHz(inputRate, OutputRate);
        var stop = FilterSpec.StopBandEdgeHz(inputRate, OutputRate);
        var length = KaiserWindow.Length(FilterSpec.DesignAttenuationDb, (stop - pass) / inputRate);

        // Length 4k+3 keeps the outermost taps on odd offsets (non-zero).
        length += (3 - (length % 4) + 4) % 4;
        var prototype = KaiserWindow.LowPass(length, 0.25, FilterSpec.DesignAttenuationDb, 1.0);
        var center = (length - 1) / 2;
        _halfSpan = center;
        _centerTap = (float)prototype[center];
        _pairTaps = new float[(center + 1) / 2];
        for (var k = 0; k < _pairTaps.Length; k++)
        {
            _pairTaps[k] = (float)prototype[center + (2 * k) + 1];
        }

        // x[n - center .. n + center] is the window; history starts as zeros before the first input.
        _buffer = new float[(length + 1) * 4];
        _count = center;
        _position = center;
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    public int MaxOutputLength(int inputLength) => (inputLength / 2) + _halfSpan + 2;

    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        if (_count + input.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + input.Length));
        }

        input.CopyTo(_buffer.AsSpan(_count));
        _count += input.Length;
        var produced = 0;
        var buffer = _buffer;
        while (_position + _halfSpan < _count)
        {
            if (produced == output.Length)
            {
                throw new ArgumentException("output is too small; size it with MaxOutputLength", nameof(output));
            }

            var sum = _centerTap * buffer[_position];
            for (var k = 0; k < _pairTaps.Length; k++)
            {
                var offset = (2 * k) + 1;
                sum += _pairTaps[k] * (buffer[_position - offset] + buffer[_position + offset]);
            }

            output[produced++] = sum;
            _position += 2;
        }

        var start = _position - _halfSpan;
        var keep = _count - start;
        if (keep > 0)
        {
            buffer.AsSpan(start, keep).CopyTo(buffer);
            _count = keep;
        }
        else
        {
            _count = 0;
        }

        _position -= start;
        return produced;
    }

    public int Flush(Span<float> output)
    {
        Span<float> silence = stackalloc float[_halfSpan + 2];
        return Process(silence, output);
    }
}
