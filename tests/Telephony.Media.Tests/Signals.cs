namespace Telephony.Media.Tests;

/// <summary>Generated test signals and the measurements the DSP tests assert on.</summary>
internal static class Signals
{
    public static float[] Tone(double frequency, int sampleRate, double seconds, double amplitude = 0.5)
    {
        var samples = new float[(int)(sampleRate * seconds)];
        for (var n = 0; n < samples.Length; n++)
        {
            samples[n] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * n / sampleRate));
        }

        return samples;
    }

    public static float[] Noise(int count, int seed, double amplitude = 0.5)
    {
        var random = new Random(seed);
        var samples = new float[count];
        for (var n = 0; n < count; n++)
        {
            samples[n] = (float)(amplitude * ((random.NextDouble() * 2) - 1));
        }

        return samples;
    }

    /// <summary>Amplitude of one frequency component (Goertzel over the whole span).</summary>
    public static double Amplitude(ReadOnlySpan<float> samples, double frequency, int sampleRate)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double previous = 0, beforePrevious = 0;
        foreach (var sample in samples)
        {
            var current = sample + (coefficient * previous) - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }

        var power = (previous * previous) + (beforePrevious * beforePrevious) - (coefficient * previous * beforePrevious);
        return 2 * Math.Sqrt(Math.Max(power, 0)) / samples.Length;
    }

    public static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var sample in samples)
        {
            sum += sample * (double)sample;
        }

        return Math.Sqrt(sum / Math.Max(samples.Length, 1));
    }

    public static double Db(double ratio) => 20 * Math.Log10(Math.Max(ratio, 1e-20));

    /// <summary>The middle of a signal, away from filter start-up and tail.</summary>
    public static ReadOnlySpan<float> SteadyState(float[] samples, int sampleRate) =>
        samples.AsSpan(sampleRate / 10, samples.Length - (sampleRate / 5));
}
