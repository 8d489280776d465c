using Telephony.Sip.Dtmf;
using Telephony.Sip.Tests.Rtp;

namespace Telephony.Sip.Tests.Dtmf;

public class GoertzelDtmfDetectorTests
{
    private const string AllDigits = "0123456789*#ABCD";

    private static short[] Digit(char digit, int ms, double lowGain = 1, double highGain = 1)
    {
        var samples = new short[ms * 8];
        DtmfToneGenerator.Write(digit, samples, 0, lowGain, highGain);
        return samples;
    }

    private static short[] Silence(int ms) => new short[ms * 8];

    private static short[] Noise(int ms, double amplitude, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, ms * 8).Select(_ => (short)((random.NextDouble() - 0.5) * 2 * amplitude))];
    }

    private static short[] Mix(short[] a, short[] b) => [.. a.Zip(b, (x, y) => (short)Math.Clamp(x + y, short.MinValue, short.MaxValue))];

    /// <summary>Feeds the signal in 20 ms frames, as the RTP session does.</summary>
    private static string Detect(params short[][] parts)
    {
        var detector = new GoertzelDtmfDetector();
        var signal = parts.SelectMany(p => p).ToArray();
        var digits = new List<char>();
        for (var offset = 0; offset < signal.Length; offset += 160)
        {
            digits.AddRange(detector.Process(signal.AsSpan(offset, Math.Min(160, signal.Length - offset))).Select(d => d.Digit));
        }

        return new string([.. digits]);
    }

    [Fact]
    public void Detects_every_digit_once()
    {
        foreach (var digit in AllDigits)
        {
            Assert.Equal(digit.ToString(), Detect(Silence(30), Digit(digit, 100), Silence(60)));
        }
    }

    [Fact]
    public void Detects_a_sequence_including_repeated_digits()
    {
        var parts = "1159#".SelectMany(d => new[] { Digit(d, 80), Silence(60) }).ToArray();

        Assert.Equal("1159#", Detect(parts));
    }

    [Fact]
    public void Detects_digits_in_moderate_noise()
    {
        foreach (var digit in "3807")
        {
            var tone = Mix(Digit(digit, 100), Noise(100, 1500, digit));
            Assert.Equal(digit.ToString(), Detect(Noise(40, 1500, 1), tone, Noise(40, 1500, 2)));
        }
    }

    [Theory]
    [InlineData(1.0, 0.6, "6")]   // high tone 4.4 dB weaker: normal twist, accepted
    [InlineData(0.8, 1.0, "6")]   // high tone 1.9 dB stronger: reverse twist within 4 dB
    [InlineData(1.0, 0.2, "")]    // 14 dB normal twist: rejected
    [InlineData(0.3, 1.0, "")]    // 10.5 dB reverse twist: rejected
    public void Applies_the_twist_limits(double lowGain, double highGain, string expected)
    {
        Assert.Equal(expected, Detect(Digit('6', 100, lowGain, highGain), Silence(60)));
    }

    [Fact]
    public void Ignores_tones_too_short_to_be_a_digit()
    {
        Assert.Equal(string.Empty, Detect(Silence(20), Digit('2', 30), Silence(60)));
    }

    [Fact]
    public void Ignores_tones_too_quiet_to_be_a_digit()
    {
        Assert.Equal(string.Empty, Detect(Digit('2', 100, 0.03, 0.03), Silence(60)));
    }

    [Fact]
    public void A_long_tone_is_one_digit_not_many()
    {
        Assert.Equal("9", Detect(Digit('9', 1500), Silence(60)));
    }

    [Fact]
    public void No_false_positives_on_silence_or_noise()
    {
        Assert.Equal(string.Empty, Detect(Silence(2000)));
        Assert.Equal(string.Empty, Detect(Noise(5000, 8000, 42)));
        Assert.Equal(string.Empty, Detect(Noise(5000, 300, 43)));
    }

    [Fact]
    public void No_false_positives_on_speech_like_harmonic_signals()
    {
        // Voiced speech: a gliding fundamental with many harmonics, shaped by two formants, syllable by syllable.
        var random = new Random(5);
        var speech = new List<short>();
        for (var syllable = 0; syllable < 40; syllable++)
        {
            var pitch = 90 + (random.NextDouble() * 160);
            var formant1 = 300 + (random.NextDouble() * 600);
            var formant2 = 900 + (random.NextDouble() * 1500);
            for (var i = 0; i < 1600; i++)
            {
                double value = 0;
                var f0 = pitch * (1 + (0.1 * i / 1600));
                for (var harmonic = 1; harmonic * f0 < 3400; harmonic++)
                {
                    var f = harmonic * f0;
                    var gain = Math.Exp(-Math.Pow((f - formant1) / 150, 2)) + (0.6 * Math.Exp(-Math.Pow((f - formant2) / 200, 2))) + 0.05;
                    value += gain * Math.Sin(2 * Math.PI * f * i / 8000);
                }

                speech.Add((short)Math.Clamp(value * 3000, short.MinValue, short.MaxValue));
            }
        }

        Assert.Equal(string.Empty, Detect([.. speech]));
    }

    [Fact]
    public void A_single_sine_at_a_DTMF_frequency_is_not_a_digit()
    {
        Assert.Equal(string.Empty, Detect(TestAudio.Tone(770, 8000, 8000)));
        Assert.Equal(string.Empty, Detect(TestAudio.Tone(1336, 8000, 8000)));
    }

    [Fact]
    public void Dial_tone_is_not_a_digit()
    {
        // North American dial tone: 350 + 440 Hz.
        Assert.Equal(string.Empty, Detect(Mix(TestAudio.Tone(350, 8000, 6000), TestAudio.Tone(440, 8000, 6000))));
    }
}
