using Telephony.Media.Dsp;

namespace Telephony.Media.Tests;

public sealed class ResamplerTests
{
    public static TheoryData<int> DownsamplingRates => new() { 11025, 16000, 22050, 32000, 44100, 48000 };

    [Theory]
    [MemberData(nameof(DownsamplingRates))]
    public void Passband_is_flat_within_1_dB_up_to_3400_Hz(int inputRate)
    {
        foreach (var frequency in new[] { 100.0, 300, 1000, 2000, 3000, 3400 })
        {
            var output = Resampler.Convert(new AudioBuffer(inputRate, Signals.Tone(frequency, inputRate, 0.5)), 8000);
            var gain = Signals.Amplitude(Signals.SteadyState(output.Samples, 8000), frequency, 8000) / 0.5;
            Assert.InRange(Signals.Db(gain), -1.0, 1.0);
        }
    }

    [Theory]
    [MemberData(nameof(DownsamplingRates))]
    public void Tones_that_would_alias_into_the_band_are_80_dB_down(int inputRate)
    {
        var stop = FilterSpec.StopBandEdgeHz(inputRate, 8000);
        for (var frequency = stop; frequency < inputRate / 2.0; frequency += (inputRate / 2.0 - stop) / 7)
        {
            var output = Resampler.Convert(new AudioBuffer(inputRate, Signals.Tone(frequency, inputRate, 0.5)), 8000);
            var leak = Signals.Rms(Signals.SteadyState(output.Samples, 8000)) / (0.5 / Math.Sqrt(2));
            Assert.True(Signals.Db(leak) <= -80, $"{frequency:F0} Hz from {inputRate} Hz leaks at {Signals.Db(leak):F1} dB");
        }
    }

    [Fact]
    public void Linear_interpolation_would_fail_the_alias_test_this_one_passes()
    {
        // A 5 kHz tone at 44.1 kHz folds to 3 kHz at 8 kHz: a naive decimator keeps it, ours removes it.
        var tone = Signals.Tone(5000, 44100, 0.5);
        var naive = new float[tone.Length * 8000 / 44100];
        for (var i = 0; i < naive.Length; i++)
        {
            naive[i] = tone[(int)((long)i * 44100 / 8000)];
        }

        var ours = Resampler.Convert(new AudioBuffer(44100, tone), 8000).Samples;
        Assert.True(Signals.Amplitude(naive, 3000, 8000) > 0.3);
        Assert.True(Signals.Amplitude(Signals.SteadyState(ours, 8000), 3000, 8000) < 0.5e-4);
    }

    [Theory]
    [InlineData(44100, 8000)]
    [InlineData(16000, 8000)]
    [InlineData(8000, 16000)]
    [InlineData(8000, 44100)]
    public void DC_passes_at_unity_without_clipping(int inputRate, int outputRate)
    {
        var constant = Enumerable.Repeat(0.5f, inputRate / 2).ToArray();
        var output = Resampler.Convert(new AudioBuffer(inputRate, constant), outputRate);
        foreach (var sample in Signals.SteadyState(output.Samples, outputRate))
        {
            Assert.InRange(sample, 0.4995f, 0.5005f);
        }
    }

    [Theory]
    [InlineData(44100, 8000)]
    [InlineData(22050, 8000)]
    [InlineData(16000, 8000)]
    [InlineData(8000, 48000)]
    public void Output_length_and_timing_match_the_input(int inputRate, int outputRate)
    {
        var input = new float[inputRate];
        input[inputRate / 2] = 1; // an impulse at 0.5 s
        var output = Resampler.Convert(new AudioBuffer(inputRate, input), outputRate).Samples;
        Assert.Equal(outputRate, output.Length);
        var peak = Array.IndexOf(output, output.Max());
        Assert.InRange(peak, (outputRate / 2) - 1, (outputRate / 2) + 1);
    }

    [Theory]
    [InlineData(44100, 8000)]
    [InlineData(16000, 8000)]
    [InlineData(8000, 22050)]
    public void Streaming_in_uneven_blocks_equals_one_shot(int inputRate, int outputRate)
    {
        var input = Signals.Noise(inputRate, seed: 7);
        var oneShot = Resampler.Create(inputRate, outputRate);
        var expected = new float[oneShot.MaxOutputLength(input.Length)];
        var expectedCount = oneShot.Process(input, expected);

        var streaming = Resampler.Create(inputRate, outputRate);
        var actual = new List<float>();
        var random = new Random(3);
        for (var offset = 0; offset < input.Length;)
        {
            var block = Math.Min(random.Next(1, 700), input.Length - offset);
            var output = new float[streaming.MaxOutputLength(block)];
            var count = streaming.Process(input.AsSpan(offset, block), output);
            actual.AddRange(output.AsSpan(0, count));
            offset += block;
        }

        Assert.Equal(expectedCount, actual.Count);
        for (var i = 0; i < expectedCount; i++)
        {
            Assert.Equal(expected[i], actual[i]);
        }
    }

    [Fact]
    public void Upsampling_suppresses_images_80_dB()
    {
        var output = Resampler.Convert(new AudioBuffer(8000, Signals.Tone(1000, 8000, 0.5)), 48000);
        var steady = Signals.SteadyState(output.Samples, 48000);
        Assert.InRange(Signals.Db(Signals.Amplitude(steady, 1000, 48000) / 0.5), -1, 1);
        foreach (var image in new[] { 7000.0, 9000, 15000, 17000 })
        {
            Assert.True(Signals.Db(Signals.Amplitude(steady, image, 48000) / 0.5) < -80, $"image at {image} Hz");
        }
    }

    [Theory]
    [InlineData(7999)]
    [InlineData(44099)]
    [InlineData(96001)]
    public void Odd_input_rates_still_convert_with_the_right_length_and_level(int inputRate)
    {
        var output = Resampler.Convert(new AudioBuffer(inputRate, Signals.Tone(1000, inputRate, 1.0)), 8000);
        Assert.InRange(output.Samples.Length, 7980, 8020);
        Assert.InRange(Signals.Db(Signals.Amplitude(Signals.SteadyState(output.Samples, 8000), 1000, 8000) / 0.5), -1, 1);
    }

    [Fact]
    public void The_16k_path_is_the_half_band_decimator()
    {
        Assert.IsType<HalfBandDecimator>(Resampler.Create(16000, 8000));
        Assert.IsType<PolyphaseResampler>(Resampler.Create(44100, 8000));
    }
}

public sealed class ClippingTests
{
    [Fact]
    public void A_near_full_scale_tone_stays_in_range_through_resampling_and_mulaw()
    {
        var tone = Signals.Tone(1000, 44100, 0.5, amplitude: 0.99);
        var output = Resampler.Convert(new AudioBuffer(44100, tone), 8000).Samples;
        Assert.InRange(output.Max(Math.Abs), 0.97f, 1.0f);

        var codes = new byte[output.Length];
        Telephony.Media.Codecs.G711.Encode(output, codes, TelephonyEncoding.MuLaw);
        var decoded = new float[codes.Length];
        Telephony.Media.Codecs.G711.Decode(codes, decoded, TelephonyEncoding.MuLaw);

        // No wrap-around: the sign of every loud sample survives.
        for (var i = 0; i < output.Length; i++)
        {
            if (Math.Abs(output[i]) > 0.5f)
            {
                Assert.Equal(Math.Sign(output[i]), Math.Sign(decoded[i]));
            }
        }
    }
}
