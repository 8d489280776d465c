using Telephony.Media.Tones;

namespace Telephony.Media.Tests.Tones;

public sealed class RingbackToneTests
{
    private const int Rate = 8000;

    [Fact]
    public void The_us_ringback_is_440_and_480_hz_for_two_seconds_then_four_seconds_of_silence_repeating()
    {
        var audio = Play(RingbackTones.For("us"), seconds: 12);

        foreach (var onset in new[] { 0.0, 6.0 })
        {
            var on = Window(audio, onset + 0.5, 0.2);
            Assert.True(Signals.Amplitude(on, 440, Rate) > 0.1, $"440 Hz at {onset + 0.5} s");
            Assert.True(Signals.Amplitude(on, 480, Rate) > 0.1, $"480 Hz at {onset + 0.5} s");
            Assert.True(Signals.Amplitude(on, 1000, Rate) < 0.01, "nothing at 1 kHz");
            Assert.True(Signals.Rms(Window(audio, onset + 1.9, 0.1)) > 0.1, "still on just before 2 s");
            Assert.Equal(0, Signals.Rms(Window(audio, onset + 2.0, 4.0)));
        }
    }

    [Fact]
    public void The_uk_ringback_is_a_double_ring_of_400_and_450_hz()
    {
        var audio = Play(RingbackTones.For("UK"), seconds: 3);

        Assert.True(Signals.Amplitude(Window(audio, 0.1, 0.2), 400, Rate) > 0.1);
        Assert.True(Signals.Amplitude(Window(audio, 0.1, 0.2), 450, Rate) > 0.1);
        Assert.Equal(0, Signals.Rms(Window(audio, 0.4, 0.2)));
        Assert.True(Signals.Rms(Window(audio, 0.6, 0.4)) > 0.1, "second ring");
        Assert.Equal(0, Signals.Rms(Window(audio, 1.0, 2.0)));
    }

    [Theory]
    [InlineData(null, "us", false)]
    [InlineData("", "us", false)]
    [InlineData("automatic", "us", true)]
    [InlineData("xx", "us", false)]
    [InlineData(" fr ", "fr", true)]
    [InlineData("de", "de", true)]
    public void Absent_automatic_or_unknown_values_play_the_default_and_known_ones_their_own(string? ringTone, string expected, bool known)
    {
        Assert.Equal(expected, RingbackTones.For(ringTone).Name);
        Assert.Equal(known, RingbackTones.IsKnown(ringTone));
    }

    [Fact]
    public void Countries_without_their_own_entry_get_the_itu_recommended_425_hz_one_second_in_five()
    {
        var cadence = RingbackTones.For("de");
        var step = Assert.Single(cadence.Steps);
        Assert.Equal((1000, 4000), (step.OnMs, step.OffMs));
        Assert.Equal([425.0], step.FrequenciesHz);
    }

    [Fact]
    public void Every_documented_value_has_a_cadence_that_plays_without_clipping()
    {
        Assert.Equal(40, RingbackTones.Names.Count);
        foreach (var name in RingbackTones.Names)
        {
            var audio = Play(RingbackTones.For(name), seconds: 1);
            Assert.True(Signals.Rms(Window(audio, 0, 0.3)) > 0.05, $"{name} starts with tone");
            Assert.All(audio, s => Assert.InRange(Math.Abs(s), 0, 0.5f));
        }
    }

    [Fact]
    public void Reading_in_pacer_frames_gives_the_same_audio_as_one_long_read()
    {
        var whole = new short[Rate * 7];
        new ToneGenerator(RingbackTones.For("uk")).Read(whole);
        var framed = new short[whole.Length];
        var generator = new ToneGenerator(RingbackTones.For("uk"));
        for (var i = 0; i < framed.Length; i += 160)
        {
            generator.Read(framed.AsSpan(i, 160));
        }

        Assert.Equal(whole, framed);
    }

    private static float[] Play(ToneCadence cadence, double seconds)
    {
        var samples = new short[(int)(Rate * seconds)];
        new ToneGenerator(cadence).Read(samples);
        return [.. samples.Select(s => s / 32768f)];
    }

    private static ReadOnlySpan<float> Window(float[] audio, double startSeconds, double lengthSeconds) =>
        audio.AsSpan((int)(startSeconds * Rate), (int)(lengthSeconds * Rate));
}
