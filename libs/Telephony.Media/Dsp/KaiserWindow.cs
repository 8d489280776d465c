namespace Telephony.Media.Dsp;

/// <summary>Kaiser-windowed sinc low-pass design (Kaiser's formulas for β and length from attenuation and transition width).</summary>
internal static class KaiserWindow
{
    public static double Beta(double attenuationDb) => attenuationDb > 50
        ? 0.1102 * (attenuationDb - 8.7)
        : attenuationDb >= 21 ? (0.5842 * Math.Pow(attenuationDb - 21, 0.4)) + (0.07886 * (attenuationDb - 21)) : 0;

    /// <summary>Filter length for an attenuation and a transition width given as a fraction of the sample rate.</summary>
    public static int Length(double attenuationDb, double transitionWidthOverRate) =>
        (int)Math.Ceiling((attenuationDb - 7.95) / (2.285 * 2 * Math.PI * transitionWidthOverRate)) + 1;

    /// <summary>Low-pass prototype of <paramref name="length"/> taps, cutoff as a fraction of the rate, unit DC gain times <paramref name="gain"/>.</summary>
    public static double[] LowPass(int length, double cutoffOverRate, double attenuationDb, double gain)
    {
        var beta = Beta(attenuationDb);
        var taps = new double[length];
        var center = (length - 1) / 2.0;
        var denominator = BesselI0(beta);
        var sum = 0.0;
        for (var n = 0; n < length; n++)
        {
            var t = n - center;
            var sinc = t == 0 ? 2 * cutoffOverRate : Math.Sin(2 * Math.PI * cutoffOverRate * t) / (Math.PI * t);
            var ratio = length == 1 ? 0 : (2.0 * n / (length - 1)) - 1;
            var window = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - (ratio * ratio)))) / denominator;
            taps[n] = sinc * window;
            sum += taps[n];
        }

        for (var n = 0; n < length; n++)
        {
            taps[n] *= gain / sum;
        }

        return taps;
    }

    private static double BesselI0(double x)
    {
        // Power series; converges quickly for the β values used here (< 15).
        double sum = 1, term = 1, half = x / 2;
        for (var k = 1; k < 64; k++)
        {
            term *= half / k;
            var squared = term * term;
            sum += squared;
            if (squared < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}
