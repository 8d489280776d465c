namespace Telephony.Sip.Dtmf;

/// <summary>
/// In-band DTMF detection for peers that send no telephone-event: the Goertzel algorithm on 205-sample blocks (25.6 ms at 8 kHz)
/// measures the eight DTMF frequencies. A block holds a digit when one row and one column tone are loud enough, each clearly
/// above the others of its group, within the allowed twist, and together carry most of the block's energy (which rejects speech
/// and noise). A digit is reported once it is held for two consecutive blocks, and again only after two blocks without it.
/// Feed it any number of samples at a time; not thread-safe.
/// </summary>
public sealed class GoertzelDtmfDetector
{
    public const int BlockSize = 205;
    private const double SampleRate = 8000;

    public static readonly IReadOnlyList<double> RowFrequencies = [697, 770, 852, 941];
    public static readonly IReadOnlyList<double> ColumnFrequencies = [1209, 1336, 1477, 1633];

    private static readonly char[,] Keypad =
    {
        { '1', '2', '3', 'A' },
        { '4', '5', '6', 'B' },
        { '7', '8', '9', 'C' },
        { '*', '0', '#', 'D' },
    };

    private static readonly double[] RowCoefficients = [.. RowFrequencies.Select(Coefficient)];
    private static readonly double[] ColumnCoefficients = [.. ColumnFrequencies.Select(Coefficient)];

    private readonly GoertzelOptions _options;
    private readonly short[] _block = new short[BlockSize];
    private int _filled;
    private char? _candidate;
    private int _candidateBlocks;
    private char? _reported;
    private int _blocksWithout;

    public GoertzelDtmfDetector(GoertzelOptions? options = null) => _options = options ?? new GoertzelOptions();

    /// <summary>Feeds samples; returns the digits detected in them (usually none).</summary>
    public IReadOnlyList<DtmfDigit> Process(ReadOnlySpan<short> samples)
    {
        List<DtmfDigit>? digits = null;
        while (!samples.IsEmpty)
        {
            var take = Math.Min(BlockSize - _filled, samples.Length);
            samples[..take].CopyTo(_block.AsSpan(_filled));
            _filled += take;
            samples = samples[take..];
            if (_filled < BlockSize)
            {
                break;
            }

            _filled = 0;
            if (OnBlock(DetectBlock(_block)) is { } digit)
            {
                (digits ??= []).Add(digit);
            }
        }

        return (IReadOnlyList<DtmfDigit>?)digits ?? [];
    }

    private DtmfDigit? OnBlock(char? detected)
    {
        if (detected is null || detected != _candidate)
        {
            _candidate = detected;
            _candidateBlocks = detected is null ? 0 : 1;
        }
        else
        {
            _candidateBlocks++;
        }

        if (detected is null || detected != _reported)
        {
            _blocksWithout++;
        }

        if (_reported is not null && _blocksWithout >= _options.RearmBlocks)
        {
            _reported = null;
        }

        if (detected is { } digit && _candidateBlocks >= _options.MinimumBlocks && _reported is null)
        {
            _reported = digit;
            _blocksWithout = 0;
            return new DtmfDigit(digit, DtmfSource.InBand, (int)(_candidateBlocks * BlockSize / 8));
        }

        if (detected is not null && detected == _reported)
        {
            _blocksWithout = 0;
        }

        return null;
    }

    /// <summary>The digit present in one block, or null.</summary>
    private char? DetectBlock(ReadOnlySpan<short> block)
    {
        Span<double> rows = stackalloc double[4];
        Span<double> columns = stackalloc double[4];
        double energy = 0;
        foreach (var sample in block)
        {
            energy += (double)sample * sample;
        }

        for (var i = 0; i < 4; i++)
        {
            rows[i] = Power(block, RowCoefficients[i]);
            columns[i] = Power(block, ColumnCoefficients[i]);
        }

        var row = IndexOfMax(rows);
        var column = IndexOfMax(columns);
        var rowPower = rows[row];
        var columnPower = columns[column];

        // A tone of amplitude A gives Goertzel power (A·N/2)²; compare amplitudes against the minimum level.
        var minimumPower = Math.Pow(_options.MinimumAmplitude * BlockSize / 2.0, 2);
        if (rowPower < minimumPower || columnPower < minimumPower)
        {
            return null;
        }

        var twistDb = 10 * Math.Log10(columnPower / rowPower);
        if (twistDb > _options.MaxReverseTwistDb || twistDb < -_options.MaxNormalTwistDb)
        {
            return null;
        }

        if (!Dominates(rows, row) || !Dominates(columns, column))
        {
            return null;
        }

        // Both tones should carry most of the block's energy: 2·P/N is the energy of a pure tone of power P.
        var toneEnergy = 2 * (rowPower + columnPower) / BlockSize;
        return toneEnergy >= _options.MinimumToneEnergyRatio * energy ? Keypad[row, column] : null;
    }

    private bool Dominates(ReadOnlySpan<double> powers, int strongest)
    {
        var factor = Math.Pow(10, _options.MinimumPeakRatioDb / 10);
        for (var i = 0; i < powers.Length; i++)
        {
            if (i != strongest && powers[i] * factor > powers[strongest])
            {
                return false;
            }
        }

        return true;
    }

    private static int IndexOfMax(ReadOnlySpan<double> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static double Power(ReadOnlySpan<short> block, double coefficient)
    {
        double previous = 0, beforePrevious = 0;
        foreach (var sample in block)
        {
            var current = sample + (coefficient * previous) - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }

        return (previous * previous) + (beforePrevious * beforePrevious) - (coefficient * previous * beforePrevious);
    }

    private static double Coefficient(double frequency) => 2 * Math.Cos(2 * Math.PI * frequency / SampleRate);
}
