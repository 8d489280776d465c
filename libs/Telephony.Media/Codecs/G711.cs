namespace Telephony.Media.Codecs;

/// <summary>
/// ITU-T G.711 μ-law and A-law, table-driven. The tables are built once from the companding rules of
/// G.711 as implemented by the ITU-T G.191 reference software (negative inputs use the one's complement
/// magnitude, so results are bit-exact with G.191; the classic Sun g711.c differs by one step for some
/// negative μ-law inputs).
/// </summary>
public static class G711
{
    // Indexed by the 16-bit sample reinterpreted as ushort: one lookup per sample, no branches.
    private static readonly byte[] MuLawEncodeTable = BuildEncodeTable(CompressMuLaw);
    private static readonly byte[] ALawEncodeTable = BuildEncodeTable(CompressALaw);
    private static readonly short[] MuLawDecodeTable = BuildDecodeTable(ExpandMuLaw);
    private static readonly short[] ALawDecodeTable = BuildDecodeTable(ExpandALaw);

    public static byte LinearToMuLaw(short sample) => MuLawEncodeTable[(ushort)sample];

    public static byte LinearToALaw(short sample) => ALawEncodeTable[(ushort)sample];

    public static short MuLawToLinear(byte code) => MuLawDecodeTable[code];

    public static short ALawToLinear(byte code) => ALawDecodeTable[code];

    public static void Encode(ReadOnlySpan<short> samples, Span<byte> destination, TelephonyEncoding encoding)
    {
        if (destination.Length < samples.Length)
        {
            throw new ArgumentException("destination is shorter than the samples", nameof(destination));
        }

        var table = encoding == TelephonyEncoding.ALaw ? ALawEncodeTable : MuLawEncodeTable;
        for (var i = 0; i < samples.Length; i++)
        {
            destination[i] = table[(ushort)samples[i]];
        }
    }

    /// <summary>Encodes float samples in [-1, 1] (rounded and clipped to 16 bits first).</summary>
    public static void Encode(ReadOnlySpan<float> samples, Span<byte> destination, TelephonyEncoding encoding)
    {
        if (destination.Length < samples.Length)
        {
            throw new ArgumentException("destination is shorter than the samples", nameof(destination));
        }

        var table = encoding == TelephonyEncoding.ALaw ? ALawEncodeTable : MuLawEncodeTable;
        for (var i = 0; i < samples.Length; i++)
        {
            destination[i] = table[(ushort)FloatToPcm16(samples[i])];
        }
    }

    public static void Decode(ReadOnlySpan<byte> codes, Span<short> destination, TelephonyEncoding encoding)
    {
        if (destination.Length < codes.Length)
        {
            throw new ArgumentException("destination is shorter than the codes", nameof(destination));
        }

        var table = encoding == TelephonyEncoding.ALaw ? ALawDecodeTable : MuLawDecodeTable;
        for (var i = 0; i < codes.Length; i++)
        {
            destination[i] = table[codes[i]];
        }
    }

    public static void Decode(ReadOnlySpan<byte> codes, Span<float> destination, TelephonyEncoding encoding)
    {
        if (destination.Length < codes.Length)
        {
            throw new ArgumentException("destination is shorter than the codes", nameof(destination));
        }

        var table = encoding == TelephonyEncoding.ALaw ? ALawDecodeTable : MuLawDecodeTable;
        for (var i = 0; i < codes.Length; i++)
        {
            destination[i] = table[codes[i]] * (1f / 32768f);
        }
    }

    /// <summary>Rounds a [-1, 1] float to 16-bit PCM, clipping out-of-range values (NaN becomes 0).</summary>
    public static short FloatToPcm16(float sample)
    {
        var scaled = sample * 32768f;
        if (scaled >= 32767f)
        {
            return short.MaxValue;
        }

        if (scaled <= -32768f)
        {
            return short.MinValue;
        }

        return float.IsNaN(scaled) ? (short)0 : (short)MathF.Round(scaled);
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

    // μ-law: 14-bit magnitude plus a bias of 33, segment = position of the leading one, code word inverted.
    private static byte CompressMuLaw(short sample)
    {
        var magnitude = (sample < 0 ? (~sample) >> 2 : sample >> 2) + 33;
        if (magnitude > 0x1FFF)
        {
            magnitude = 0x1FFF;
        }

        var segment = 1;
        for (var rest = magnitude >> 6; rest != 0; rest >>= 1)
        {
            segment++;
        }

        var high = 8 - segment;
        var low = 0xF - ((magnitude >> segment) & 0xF);
        var code = (high << 4) | low;
        return (byte)(sample >= 0 ? code | 0x80 : code);
    }

    private static short ExpandMuLaw(byte code)
    {
        var inverted = ~code & 0xFF;
        var exponent = (inverted >> 4) & 0x7;
        var mantissa = inverted & 0xF;
        var step = 4 << (exponent + 1);
        var magnitude = (0x80 << exponent) + (step * mantissa) + (step / 2) - (4 * 33);
        return (short)(code < 0x80 ? -magnitude : magnitude);
    }

    // A-law: 12-bit magnitude, segment from the leading one above bit 4, even bits inverted (xor 0x55).
    private static byte CompressALaw(short sample)
    {
        var magnitude = sample < 0 ? (~sample) >> 4 : sample >> 4;
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

        if (sample >= 0)
        {
            magnitude |= 0x80;
        }

        return (byte)(magnitude ^ 0x55);
    }

    private static short ExpandALaw(byte code)
    {
        var value = code ^ 0x55;
        var exponent = (value & 0x7F) >> 4;
        var mantissa = value & 0xF;
        if (exponent > 0)
        {
            mantissa += 16;
        }

        mantissa = (mantissa << 4) + 8;
        if (exponent > 1)
        {
            mantissa <<= exponent - 1;
        }

        return (short)(code > 127 ? mantissa : -mantissa);
    }
}
