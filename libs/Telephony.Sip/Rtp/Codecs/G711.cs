namespace Telephony.Sip.Rtp.Codecs;

/// <summary>
/// ITU-T G.711 μ-law and A-law, bit-exact with the ITU-T G.191 reference (ulaw_compress/expand, alaw_compress/expand) on 16-bit
/// linear samples. Encoding and decoding are table lookups; the tables are computed once from the reference algorithm.
/// </summary>
public static class G711
{
    private static readonly byte[] LinearToMuLaw = BuildEncodeTable(MuLawCompress);
    private static readonly byte[] LinearToALaw = BuildEncodeTable(ALawCompress);
    private static readonly short[] MuLawToLinear = BuildDecodeTable(MuLawExpand);
    private static readonly short[] ALawToLinear = BuildDecodeTable(ALawExpand);

    public static byte EncodeMuLaw(short sample) => LinearToMuLaw[(ushort)sample];

    public static byte EncodeALaw(short sample) => LinearToALaw[(ushort)sample];

    public static short DecodeMuLaw(byte code) => MuLawToLinear[code];

    public static short DecodeALaw(byte code) => ALawToLinear[code];

    public static void EncodeMuLaw(ReadOnlySpan<short> samples, Span<byte> destination)
    {
        var table = LinearToMuLaw;
        for (var i = 0; i < samples.Length; i++)
        {
            destination[i] = table[(ushort)samples[i]];
        }
    }

    public static void EncodeALaw(ReadOnlySpan<short> samples, Span<byte> destination)
    {
        var table = LinearToALaw;
        for (var i = 0; i < samples.Length; i++)
        {
            destination[i] = table[(ushort)samples[i]];
        }
    }

    public static void DecodeMuLaw(ReadOnlySpan<byte> codes, Span<short> destination)
    {
        var table = MuLawToLinear;
        for (var i = 0; i < codes.Length; i++)
        {
            destination[i] = table[codes[i]];
        }
    }

    public static void DecodeALaw(ReadOnlySpan<byte> codes, Span<short> destination)
    {
        var table = ALawToLinear;
        for (var i = 0; i < codes.Length; i++)
        {
            destination[i] = table[codes[i]];
        }
    }

    /// <summary>The code that decodes to silence: μ-law 0xFF, A-law 0xD5.</summary>
    public static byte Silence(G711Law law) => law == G711Law.MuLaw ? (byte)0xFF : (byte)0xD5;

    public static void Encode(G711Law law, ReadOnlySpan<short> samples, Span<byte> destination)
    {
        if (law == G711Law.MuLaw)
        {
            EncodeMuLaw(samples, destination);
        }
        else
        {
            EncodeALaw(samples, destination);
        }
    }

    public static void Decode(G711Law law, ReadOnlySpan<byte> codes, Span<short> destination)
    {
        if (law == G711Law.MuLaw)
        {
            DecodeMuLaw(codes, destination);
        }
        else
        {
            DecodeALaw(codes, destination);
        }
    }

    private static byte[] BuildEncodeTable(Func<short, byte> compress)
    {
        var table = new byte[65536];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = compress((short)(ushort)i);
        }

        return table;
    }

    private static short[] BuildDecodeTable(Func<byte, short> expand)
    {
        var table = new short[256];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = expand((byte)i);
        }

        return table;
    }

    // G.191 ulaw_compress: 14 most significant bits, one's complement magnitude for negatives, bias 33, 8 segments.
    private static byte MuLawCompress(short linear)
    {
        var magnitude = (linear < 0 ? (~linear) >> 2 : linear >> 2) + 33;
        if (magnitude > 0x1FFF)
        {
            magnitude = 0x1FFF;
        }

        var segment = 1;
        for (var i = magnitude >> 6; i != 0; i >>= 1)
        {
            segment++;
        }

        var highNibble = 0x08 - segment;
        var lowNibble = 0x0F - ((magnitude >> segment) & 0x0F);
        var code = (highNibble << 4) | lowNibble;
        return (byte)(linear >= 0 ? code | 0x80 : code);
    }

    private static short MuLawExpand(byte code)
    {
        var sign = code < 0x80 ? -1 : 1;
        var complement = ~code;
        var exponent = (complement >> 4) & 0x07;
        var mantissa = complement & 0x0F;
        var step = 4 << (exponent + 1);
        return (short)(sign * ((0x80 << exponent) + (step * mantissa) + (step / 2) - (4 * 33)));
    }

    // G.191 alaw_compress: 12 most significant bits, one's complement magnitude for negatives, even bits inverted (0x55).
    private static byte ALawCompress(short linear)
    {
        var magnitude = linear < 0 ? (~linear) >> 4 : linear >> 4;
        if (magnitude > 15)
        {
            var exponent = 1;
            while (magnitude > 16 + 15)
            {
                magnitude >>= 1;
                exponent++;
            }

            magnitude -= 16;
            magnitude += exponent << 4;
        }

        if (linear >= 0)
        {
            magnitude |= 0x80;
        }

        return (byte)(magnitude ^ 0x55);
    }

    private static short ALawExpand(byte code)
    {
        var value = (code ^ 0x55) & 0x7F;
        var exponent = value >> 4;
        var mantissa = value & 0x0F;
        if (exponent > 0)
        {
            mantissa += 16;
        }

        mantissa = (mantissa << 4) + 0x08;
        if (exponent > 1)
        {
            mantissa <<= exponent - 1;
        }

        return (short)(code > 127 ? mantissa : -mantissa);
    }
}

public enum G711Law
{
    MuLaw,
    ALaw,
}
