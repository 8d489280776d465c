using Telephony.Sip.Rtp.Codecs;

namespace Telephony.Sip.Tests.Rtp;

public class G711Tests
{
    [Theory]
    [InlineData(0xFF, 0)]
    [InlineData(0x7F, 0)]
    [InlineData(0x80, 32124)]
    [InlineData(0x00, -32124)]
    [InlineData(0xFE, 8)]
    [InlineData(0xEF, 132)]
    public void MuLaw_decodes_to_the_G191_reference_values(byte code, short linear)
    {
        Assert.Equal(linear, G711.DecodeMuLaw(code));
    }

    [Theory]
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    [InlineData(0xC5, 264)]
    public void ALaw_decodes_to_the_G191_reference_values(byte code, short linear)
    {
        Assert.Equal(linear, G711.DecodeALaw(code));
    }

    [Theory]
    [InlineData(0, 0xFF, 0xD5)]
    [InlineData(-1, 0x7F, 0x55)]
    [InlineData(32767, 0x80, 0xAA)]
    [InlineData(-32768, 0x00, 0x2A)]
    [InlineData(1000, 0xCE, 0xFA)]
    [InlineData(-1000, 0x4E, 0x7A)]
    public void Encodes_to_the_G191_reference_codes(short linear, byte muLaw, byte aLaw)
    {
        Assert.Equal(muLaw, G711.EncodeMuLaw(linear));
        Assert.Equal(aLaw, G711.EncodeALaw(linear));
    }

    [Fact]
    public void Every_code_survives_decode_then_encode()
    {
        for (var code = 0; code < 256; code++)
        {
            var expectedMu = code == 0x7F ? 0xFF : code; // μ-law has two zeros; the encoder picks the positive one
            Assert.Equal(expectedMu, G711.EncodeMuLaw(G711.DecodeMuLaw((byte)code)));
            Assert.Equal(code, G711.EncodeALaw(G711.DecodeALaw((byte)code)));
        }
    }

    [Fact]
    public void Negative_samples_use_the_ones_complement_magnitude_as_in_G191()
    {
        // G.191 compresses x < 0 from ~x, so -1 - x and x (x >= 0) differ only in the sign bit.
        for (var x = 0; x <= short.MaxValue; x++)
        {
            var negative = (short)(-1 - x);
            Assert.Equal(G711.EncodeMuLaw((short)x) & 0x7F, G711.EncodeMuLaw(negative));
            Assert.Equal((G711.EncodeALaw((short)x) ^ 0x55) & 0x7F, G711.EncodeALaw(negative) ^ 0x55);
        }
    }

    [Fact]
    public void Quantisation_is_monotonic_and_error_is_bounded_by_half_a_step()
    {
        short previousMu = short.MinValue, previousA = short.MinValue;
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            var mu = G711.DecodeMuLaw(G711.EncodeMuLaw((short)x));
            var a = G711.DecodeALaw(G711.EncodeALaw((short)x));
            Assert.True(mu >= previousMu && a >= previousA, $"not monotonic at {x}");
            // The largest step is 1024 (μ-law) and 1024 (A-law) in the top segment; clipping adds at most 644 / 512 at full scale.
            Assert.InRange(Math.Abs(mu - x), 0, 1024);
            Assert.InRange(Math.Abs(a - x), 0, 1024);
            previousMu = mu;
            previousA = a;
        }
    }

    [Fact]
    public void Span_encoders_match_the_scalar_ones()
    {
        short[] samples = [0, 1, -1, 1234, -1234, short.MaxValue, short.MinValue];
        var mu = new byte[samples.Length];
        var a = new byte[samples.Length];
        var decoded = new short[samples.Length];

        G711.Encode(G711Law.MuLaw, samples, mu);
        G711.Encode(G711Law.ALaw, samples, a);
        G711.Decode(G711Law.ALaw, a, decoded);

        Assert.Equal(samples.Select(G711.EncodeMuLaw), mu);
        Assert.Equal(samples.Select(G711.EncodeALaw), a);
        Assert.Equal(a.Select(G711.DecodeALaw), decoded);
        Assert.Equal(0xFF, G711.Silence(G711Law.MuLaw));
        Assert.Equal(0, G711.DecodeALaw(G711.Silence(G711Law.ALaw)) / 16);
    }
}
