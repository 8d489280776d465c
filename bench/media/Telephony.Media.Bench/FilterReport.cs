using Telephony.Media.Dsp;

namespace Telephony.Media.Bench;

/// <summary>Measured resampler response to 8 kHz: worst passband deviation to 3.4 kHz and worst alias from the stop band.</summary>
internal static class FilterReport
{
    public static int Run(TextWriter output)
    {
        output.WriteLine("| input rate | path | taps/phase | passband 0.1–3.4 kHz (min…max dB) | worst alias from ≥ stop edge (dB) |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var rate in new[] { 11025, 16000, 22050, 32000, 44100, 48000 })
        {
            var resampler = Resampler.Create(rate, 8000);
            var taps = resampler is PolyphaseResampler polyphase ? polyphase.TapsPerPhase.ToString(System.Globalization.CultureInfo.InvariantCulture) : "half-band";
            double min = double.MaxValue, max = double.MinValue, worstAlias = double.MinValue;
            for (var f = 100.0; f <= 3400; f += 100)
            {
                var gain = Db(Amplitude(Convert(rate, f), f) / 0.5);
                (min, max) = (Math.Min(min, gain), Math.Max(max, gain));
            }

            var stop = FilterSpec.StopBandEdgeHz(rate, 8000);
            for (var f = stop; f < rate / 2.0; f += 50)
            {
                var samples = Convert(rate, f);
                worstAlias = Math.Max(worstAlias, Db(Rms(samples) / (0.5 / Math.Sqrt(2))));
            }

            output.WriteLine($"| {rate} | {resampler.GetType().Name} | {taps} | {min:F3} … {max:F3} | {worstAlias:F1} |");
        }

        return 0;
    }

    private static float[] Convert(int rate, double frequency)
    {
        var tone = new float[rate / 2];
        for (var n = 0; n < tone.Length; n++)
        {
            tone[n] = (float)(0.5 * Math.Sin(2 * Math.PI * frequency * n / rate));
        }

        var output = Resampler.Convert(new AudioBuffer(rate, tone), 8000).Samples;
        return output[400..^400];
    }

    private static double Amplitude(float[] samples, double frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / 8000);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            (s1, s2) = (x + (coefficient * s1) - s2, s1);
        }

        return 2 * Math.Sqrt(Math.Max(0, (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2))) / samples.Length;
    }

    private static double Rms(float[] samples) => Math.Sqrt(samples.Sum(x => (double)x * x) / samples.Length);

    private static double Db(double ratio) => 20 * Math.Log10(Math.Max(ratio, 1e-20));
}
