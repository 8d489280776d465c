namespace Telephony.Media.Dsp;

/// <summary>
/// The anti-alias / anti-image specification shared by the resamplers. With the band of interest ending at
/// 85 % of the lower Nyquist frequency (3.4 kHz for 8 kHz output), the stop band starts where an alias
/// would fold back into that band (4.6 kHz for 8 kHz output): everything that could land in 0–3.4 kHz
/// is attenuated by at least <see cref="StopBandAttenuationDb"/>.
/// </summary>
public static class FilterSpec
{
    public const double PassBandFraction = 0.85;
    public const double StopBandAttenuationDb = 80;

    // Designed with margin so the realised filter stays above 80 dB after float rounding.
    internal const double DesignAttenuationDb = 90;

    public static double PassBandEdgeHz(int inputRate, int outputRate) => PassBandFraction * Math.Min(inputRate, outputRate) / 2.0;

    public static double StopBandEdgeHz(int inputRate, int outputRate) => (2 - PassBandFraction) * Math.Min(inputRate, outputRate) / 2.0;
}
