namespace Telephony.MediaNode.Tests;

/// <summary>Measurements on received audio: level and the share of power at one frequency (Goertzel).</summary>
public static class AudioAnalysis
{
    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        foreach (var s in samples)
        {
            sum += (double)s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>Power at <paramref name="hz"/> relative to the block's total power (1 = a pure tone at that frequency).</summary>
    public static double ToneShare(ReadOnlySpan<short> samples, double hz, int rate = 8000)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * hz / rate);
        double previous = 0, beforePrevious = 0, total = 0;
        foreach (var s in samples)
        {
            var current = s + (coefficient * previous) - beforePrevious;
            beforePrevious = previous;
            previous = current;
            total += (double)s * s;
        }

        var power = (previous * previous) + (beforePrevious * beforePrevious) - (coefficient * previous * beforePrevious);
        return total == 0 ? 0 : 2 * power / (total * samples.Length);
    }

    /// <summary>Start indexes of 20 ms blocks whose level is above <paramref name="minRms"/>.</summary>
    public static IEnumerable<int> LoudBlocks(short[] samples, double minRms, int block = 160)
    {
        for (var i = 0; i + block <= samples.Length; i += block)
        {
            if (Rms(samples.AsSpan(i, block)) > minRms)
            {
                yield return i;
            }
        }
    }
}
