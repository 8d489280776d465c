namespace Telephony.Media;

/// <summary>Mono audio as 32-bit float samples in [-1, 1] at <see cref="SampleRate"/>.</summary>
public sealed class AudioBuffer
{
    public AudioBuffer(int sampleRate, float[] samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentNullException.ThrowIfNull(samples);
        SampleRate = sampleRate;
        Samples = samples;
    }

    public int SampleRate { get; }

#pragma warning disable CA1819 // Audio is bulk data: callers need the array itself, not a copy.
    public float[] Samples { get; }
#pragma warning restore CA1819

    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}
