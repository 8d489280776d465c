namespace Telephony.Media.Recording;

/// <summary>The tone played before a recording starts (playBeep): a short, clearly audible sine with soft edges.</summary>
public static class RecordingBeep
{
    public const int FrequencyHz = 1000;
    public static readonly TimeSpan Length = TimeSpan.FromMilliseconds(250);

    /// <summary>8 kHz PCM16 samples of the beep.</summary>
    public static short[] Samples(int sampleRate = 8000)
    {
        var count = (int)(sampleRate * Length.TotalSeconds);
        var ramp = sampleRate / 100;
        var samples = new short[count];
        for (var n = 0; n < count; n++)
        {
            // 10 ms fade in and out, so the beep does not click.
            var envelope = Math.Min(1.0, Math.Min(n, count - 1 - n) / (double)ramp);
            samples[n] = (short)(12000 * envelope * Math.Sin(2 * Math.PI * FrequencyHz * n / sampleRate));
        }

        return samples;
    }
}
