using Telephony.Media.Codecs;

namespace Telephony.Media.Tests;

public sealed class G711Tests
{
    // Reference decoder outputs from the ITU-T G.711 tables (G.191 STL expand routines).
    [Theory]
    [InlineData(0x00, -32124)]
    [InlineData(0x0F, -16764)]
    [InlineData(0x70, -120)]
    [InlineData(0x7E, -8)]
    [InlineData(0x7F, 0)]
    [InlineData(0x80, 32124)]
    [InlineData(0xF0, 120)]
    [InlineData(0xFF, 0)]
    public void MuLaw_decodes_to_reference_values(int code, int expected) =>
        Assert.Equal(expected, G711.MuLawToLinear((byte)code));

    [Theory]
    [InlineData(0x00, -5504)]
    [InlineData(0x01, -5248)]
    [InlineData(0x2A, -32256)]
    [InlineData(0x55, -8)]
    [InlineData(0x80, 5504)]
    [InlineData(0xAA, 32256)]
    [InlineData(0xD5, 8)]
    public void ALaw_decodes_to_reference_values(int code, int expected) =>
        Assert.Equal(expected, G711.ALawToLinear((byte)code));

    // G.191 encoder behaviour: negative inputs use the one's complement magnitude.
    [Theory]
    [InlineData(0, 0xFF, 0xD5)]
    [InlineData(-1, 0x7F, 0x55)]
    [InlineData(32767, 0x80, 0xAA)]
    [InlineData(-32768, 0x00, 0x2A)]
    [InlineData(8, 0xFE, 0xD5)]
    [InlineData(-9, 0x7E, 0x55)]
    public void Encoders_match_reference_code_words(int sample, int muLaw, int aLaw)
    {
        Assert.Equal(muLaw, G711.LinearToMuLaw((short)sample));
        Assert.Equal(aLaw, G711.LinearToALaw((short)sample));
    }

    [Fact]
    public void Every_code_word_survives_decode_then_encode()
    {
        for (var code = 0; code < 256; code++)
        {
            var expectedMu = code == 0x7F ? 0xFF : code; // μ-law has two zeros; +0 is canonical.
            Assert.Equal(expectedMu, G711.LinearToMuLaw(G711.MuLawToLinear((byte)code)));
            Assert.Equal(code, G711.LinearToALaw(G711.ALawToLinear((byte)code)));
        }
    }

    [Fact]
    public void Quantisation_is_monotonic_and_within_half_a_step()
    {
        short previousMu = short.MinValue, previousA = short.MinValue;
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            var mu = G711.MuLawToLinear(G711.LinearToMuLaw((short)x));
            var a = G711.ALawToLinear(G711.LinearToALaw((short)x));
            Assert.True(mu >= previousMu && a >= previousA, $"not monotonic at {x}");
            previousMu = mu;
            previousA = a;

            // The largest step is 1024 (μ-law) / 1024 (A-law) in the top segment; clipping allows more at the extremes.
            if (Math.Abs(x) < 32000)
            {
                Assert.InRange(Math.Abs(mu - x), 0, 512 + 4);
                Assert.InRange(Math.Abs(a - x), 0, 512 + 8);
            }
        }
    }

    [Theory]
    [InlineData("mulaw", TelephonyEncoding.MuLaw)]
    [InlineData("alaw", TelephonyEncoding.ALaw)]
    public async Task Decoder_agrees_with_ffmpeg_for_all_256_codes(string ffmpegFormat, TelephonyEncoding encoding)
    {
        var codes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var reference = await ExternalProcessHelper.RunAsync("ffmpeg", "ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-f", ffmpegFormat, "-ar", "8000", "-ac", "1", "-i", "pipe:0", "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1"],
            codes);
        Assert.Equal(512, reference.Length);
        var ours = new short[256];
        G711.Decode(codes, ours, encoding);
        for (var i = 0; i < 256; i++)
        {
            Assert.Equal(BitConverter.ToInt16(reference, i * 2), ours[i]);
        }
    }

    [Fact]
    public void Float_conversion_rounds_and_clips()
    {
        Assert.Equal(short.MaxValue, G711.FloatToPcm16(1.5f));
        Assert.Equal(short.MinValue, G711.FloatToPcm16(-1.5f));
        Assert.Equal(0, G711.FloatToPcm16(float.NaN));
        Assert.Equal(16384, G711.FloatToPcm16(0.5f));
        Assert.Equal(-16384, G711.FloatToPcm16(-0.5f));
    }
}
