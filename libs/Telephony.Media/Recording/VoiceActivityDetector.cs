namespace Telephony.Media.Recording;

/// <summary>
/// Energy-based voice activity on 8 kHz PCM16 frames: a frame is voice when its RMS level reaches the threshold.
/// The default (-42 dBFS, RMS 260) sits well above a quiet line's noise floor (about -60 dBFS) and well below
/// ordinary telephone speech (-30 to -15 dBFS); pauses between words are bridged by the caller's silence timeout.
/// </summary>
public sealed class VoiceActivityDetector(double thresholdRms = VoiceActivityDetector.DefaultThresholdRms)
{
    public const double DefaultThresholdRms = 260;

    public double ThresholdRms { get; } = thresholdRms > 0 ? thresholdRms : throw new ArgumentOutOfRangeException(nameof(thresholdRms));

    public bool IsVoice(ReadOnlySpan<short> frame) => !frame.IsEmpty && Rms(frame) >= ThresholdRms;

    public static double Rms(ReadOnlySpan<short> frame)
    {
        if (frame.IsEmpty)
        {
            return 0;
        }

        long sum = 0;
        foreach (var sample in frame)
        {
            sum += sample * sample;
        }

        return Math.Sqrt(sum / (double)frame.Length);
    }
}
