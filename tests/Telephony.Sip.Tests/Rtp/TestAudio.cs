namespace Telephony.Sip.Tests.Rtp;

internal static class TestAudio
{
    public static short[] Tone(double frequency, int samples, double amplitude = 8000, int sampleOffset = 0) =>
        [.. Enumerable.Range(sampleOffset, samples).Select(i => (short)(amplitude * Math.Sin(2 * Math.PI * frequency * i / 8000.0)))];

    public static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var sample in samples)
        {
            sum += (double)sample * sample;
        }

        return samples.IsEmpty ? 0 : Math.Sqrt(sum / samples.Length);
    }
}
