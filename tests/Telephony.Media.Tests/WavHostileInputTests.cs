using Telephony.Media.Formats;

namespace Telephony.Media.Tests;

public sealed class WavHostileInputTests
{
    private static readonly byte[] ValidFile =
        new WavBuilder().Format(1, 1, 8000, 16).Chunk("data", WavBuilder.Pcm16(Signals.Tone(440, 8000, 0.01))).Build();

    [Fact]
    public void Empty_input_is_a_clear_error()
    {
        var error = Assert.Throws<MediaFormatException>(() => WavFile.Read(new MemoryStream()));
        Assert.Contains("empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_magic_is_a_clear_error()
    {
        var bytes = (byte[])ValidFile.Clone();
        "RIFX"u8.CopyTo(bytes);
        Assert.Contains("RIFF", Assert.Throws<MediaFormatException>(() => WavFile.Read(new MemoryStream(bytes))).Message, StringComparison.Ordinal);
        Assert.Throws<MediaFormatException>(() => WavFile.Read(new MemoryStream("<html><body>404</body></html>"u8.ToArray())));
    }

    [Fact]
    public void Every_truncation_of_the_header_is_a_format_error()
    {
        for (var length = 1; length < 44; length++)
        {
            var prefix = ValidFile.AsSpan(0, length).ToArray();
            Assert.Throws<MediaFormatException>(() => WavFile.Read(new MemoryStream(prefix)));
        }
    }

    [Theory]
    [InlineData(0, 8000, 16)] // no channels
    [InlineData(1, 0, 16)] // no rate
    [InlineData(1, 8000, 12)] // odd bit depth
    [InlineData(65535, 8000, 16)] // absurd channels
    [InlineData(1, int.MaxValue, 16)] // absurd rate
    public void Absurd_format_fields_are_refused(int channels, int rate, int bits)
    {
        var bytes = new WavBuilder().Format(1, channels, rate, bits).Chunk("data", new byte[16]).Build();
        Assert.Throws<MediaFormatException>(() => WavFile.Read(new MemoryStream(bytes)));
    }

    [Fact]
    public void Unsupported_codecs_name_the_format_tag()
    {
        var bytes = new WavBuilder().Format(0x55, 1, 8000, 16).Chunk("data", new byte[16]).Build(); // MP3 in WAV
        Assert.Contains("85", Assert.Throws<MediaFormatException>(() => WavFile.Read(new MemoryStream(bytes))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurd_chunk_sizes_do_not_allocate_or_hang()
    {
        var huge = new WavBuilder().Chunk("LIST", new byte[4]).Format(1, 1, 8000, 16).Build();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(huge.AsSpan(16), 0xFFFFFFF0);
        Assert.Throws<MediaFormatException>(() => WavFile.Read(new MemoryStream(huge)));
        Assert.Throws<MediaFormatException>(() => WavFile.Read(new PipeLikeStream(huge)));

        var hugeFmt = new WavBuilder().Format(1, 1, 8000, 16).Build();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(hugeFmt.AsSpan(16), 0x7FFFFFFF);
        Assert.Throws<MediaFormatException>(() => WavFile.Read(new MemoryStream(hugeFmt)));
    }

    [Fact]
    public void Data_beyond_the_limit_is_refused()
    {
        var bytes = new WavBuilder().Format(1, 1, 8000, 16).Chunk("data", new byte[100_000]).Build();
        Assert.Throws<MediaFormatException>(() => WavFile.Read(new MemoryStream(bytes), maxDataBytes: 10_000));
    }

    [Fact]
    public void Random_garbage_behind_a_valid_magic_only_ever_raises_format_errors()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(12, 200)];
            random.NextBytes(bytes);
            "RIFF"u8.CopyTo(bytes);
            "WAVE"u8.CopyTo(bytes.AsSpan(8));
            if (i % 2 == 0 && bytes.Length > 20)
            {
                "fmt "u8.CopyTo(bytes.AsSpan(12));
                bytes[16] = 16;
                bytes[17] = bytes[18] = bytes[19] = 0;
            }

            try
            {
                _ = WavFile.Read(new MemoryStream(bytes), maxDataBytes: 1 << 20);
            }
            catch (MediaFormatException)
            {
                // The only acceptable failure.
            }
        }
    }
}
