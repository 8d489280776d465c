namespace Telephony.Media.Dsp;

/// <summary>Picks the right resampler for a rate pair and converts whole buffers.</summary>
public static class Resampler
{
    /// <summary>A streaming resampler: pass-through for equal rates, half-band for exact 2:1, polyphase otherwise.</summary>
    public static IResampler Create(int inputRate, int outputRate)
    {
        if (inputRate == outputRate)
        {
            return new PassThroughResampler(inputRate);
        }

        if (inputRate == outputRate * 2)
        {
            return new HalfBandDecimator(inputRate);
        }

        // Odd rates (7999 Hz from a hostile or sloppy header) would need thousands of phases: treat the input as
        // the nearest multiple of 25 Hz instead. The pitch error is below 0.2 %, and the ratio stays small.
        if (PolyphaseResampler.PhasesFor(inputRate, outputRate) > PolyphaseResampler.MaxPhases)
        {
            var nearest = Math.Max(25, (int)Math.Round(inputRate / 25.0) * 25);
            return Create(nearest, outputRate);
        }

        return new PolyphaseResampler(inputRate, outputRate);
    }

    /// <summary>Converts a whole buffer; the result has exactly ceil(length·out/in) samples, time-aligned with the input.</summary>
    public static AudioBuffer Convert(AudioBuffer audio, int outputRate)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.SampleRate == outputRate)
        {
            return audio;
        }

        var resampler = Create(audio.SampleRate, outputRate);
        var expected = (int)(((long)audio.Samples.Length * outputRate + audio.SampleRate - 1) / audio.SampleRate);
        var output = new float[resampler.MaxOutputLength(audio.Samples.Length) + resampler.MaxOutputLength(0)];
        var produced = resampler.Process(audio.Samples, output);
        produced += resampler.Flush(output.AsSpan(produced));
        Array.Resize(ref output, Math.Min(produced, expected));
        return new AudioBuffer(outputRate, output);
    }

    private sealed class PassThroughResampler(int rate) : IResampler
    {
        public int InputRate => rate;

        public int OutputRate => rate;

        public int MaxOutputLength(int inputLength) => inputLength;

        public int Process(ReadOnlySpan<float> input, Span<float> output)
        {
            input.CopyTo(output);
            return input.Length;
        }

        public int Flush(Span<float> output) => 0;
    }
}
