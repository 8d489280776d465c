using Telephony.Media.Formats;

namespace Telephony.Media.Tests;

public sealed class WavFileTests
{
    [Theory]
    [InlineData(SampleEncoding.Pcm16, 0.001)]
    [InlineData(SampleEncoding.MuLaw, 0.03)]
    [InlineData(SampleEncoding.ALaw, 0.03)]
    public void Written_files_read_back_as_the_same_tone(SampleEncoding encoding, double tolerance)
    {
        var tone = Signals.Tone(1000, 8000, 0.5);
        using var memory = new MemoryStream();
        WavFile.Write(memory, new AudioBuffer(8000, tone), encoding);
        memory.Position = 0;

        var read = WavFile.Read(memory);

        Assert.Equal(8000, read.SampleRate);
        Assert.Equal(tone.Length, read.Samples.Length);
        Assert.InRange(Signals.Amplitude(read.Samples, 1000, 8000), 0.5 - tolerance, 0.5 + tolerance);
        for (var i = 0; i < tone.Length; i++)
        {
            Assert.InRange(read.Samples[i] - tone[i], -tolerance, tolerance);
        }
    }

    [Fact]
    public void MuLaw_file_has_the_standard_header()
    {
        var bytes = WavFile.ToBytes(new byte[] { 0xFF, 0x7F, 0x00 }, 8000, SampleEncoding.MuLaw);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(7, BitConverter.ToUInt16(bytes, 20)); // WAVE_FORMAT_MULAW
        Assert.Equal(8000, BitConverter.ToInt32(bytes, 24));
        Assert.Equal(8, BitConverter.ToUInt16(bytes, 34));
        Assert.Equal(bytes.Length - 8, BitConverter.ToInt32(bytes, 4));
        Assert.Equal(WavFile.HeaderSize(SampleEncoding.MuLaw) + 4, bytes.Length); // 3 bytes + 1 pad
    }

    [Fact]
    public void Stereo_is_mixed_to_mono_by_averaging()
    {
        var left = Signals.Tone(500, 16000, 0.2, 0.4);
        var interleaved = new float[left.Length * 2];
        for (var i = 0; i < left.Length; i++)
        {
            interleaved[2 * i] = left[i];
            interleaved[(2 * i) + 1] = -left[i]; // opposite phase cancels
        }

        var cancel = new WavBuilder().Format(1, 2, 16000, 16).Chunk("data", WavBuilder.Pcm16(interleaved)).Build();
        Assert.True(Signals.Rms(WavFile.Read(new MemoryStream(cancel)).Samples) < 1e-4);

        var same = new WavBuilder().Format(1, 2, 16000, 16).Chunk("data", WavBuilder.Pcm16(left, channels: 2)).Build();
        Assert.InRange(Signals.Amplitude(WavFile.Read(new MemoryStream(same)).Samples, 500, 16000), 0.39, 0.41);
    }

    [Fact]
    public void Unknown_chunks_with_odd_sizes_are_skipped_on_pipes_too()
    {
        var tone = Signals.Tone(440, 8000, 0.25);
        var bytes = new WavBuilder()
            .Chunk("LIST", [1, 2, 3]) // odd: padded
            .Format(1, 1, 8000, 16)
            .Chunk("junk", new byte[101])
            .Chunk("data", WavBuilder.Pcm16(tone))
            .Build();

        var fromFile = WavFile.Read(new MemoryStream(bytes));
        var fromPipe = WavFile.Read(new PipeLikeStream(bytes));

        Assert.Equal(tone.Length, fromFile.Samples.Length);
        Assert.Equal(fromFile.Samples, fromPipe.Samples);
    }

    [Theory]
    [InlineData(0u)] // mpg123 writing to a pipe
    [InlineData(0xFFFFFFFFu)] // ffmpeg / espeak-ng --stdout placeholders
    [InlineData(0x7FFFFFF0u)] // larger than the file
    public void Placeholder_data_sizes_read_to_the_end(uint declared)
    {
        var tone = Signals.Tone(440, 8000, 0.25);
        var bytes = new WavBuilder().Format(1, 1, 8000, 16).Chunk("data", WavBuilder.Pcm16(tone)).Build(declared);
        Assert.Equal(tone.Length, WavFile.Read(new MemoryStream(bytes)).Samples.Length);
        Assert.Equal(tone.Length, WavFile.Read(new PipeLikeStream(bytes)).Samples.Length);
    }

    [Fact]
    public void Declared_data_size_stops_reading_before_trailing_chunks()
    {
        var tone = Signals.Tone(440, 8000, 0.1);
        var bytes = new WavBuilder().Format(1, 1, 8000, 16).Chunk("data", WavBuilder.Pcm16(tone)).Chunk("LIST", new byte[64]).Build();
        Assert.Equal(tone.Length, WavFile.Read(new MemoryStream(bytes)).Samples.Length);
    }

    // Every encoding the reader claims, produced by a real tool (ffmpeg), must decode to the same tone.
    [Theory]
    [InlineData("pcm_u8", "wav", 1)]
    [InlineData("pcm_s16le", "wav", 1)]
    [InlineData("pcm_s24le", "wav", 2)]
    [InlineData("pcm_s32le", "wav", 1)]
    [InlineData("pcm_f32le", "wav", 2)]
    [InlineData("pcm_f64le", "wav", 1)]
    [InlineData("pcm_mulaw", "wav", 1)]
    [InlineData("pcm_alaw", "wav", 1)]
    [InlineData("pcm_s16le", "wav", 6)] // ffmpeg writes WAVE_FORMAT_EXTENSIBLE for > 2 channels
    public async Task Files_written_by_ffmpeg_decode_to_the_tone(string codec, string container, int channels)
    {
        // The same tone on every channel, so the mono mix must keep its level.
        var oneChannel = "0.0625*sin(2*PI*1000*t)";
        var bytes = await ExternalProcessHelper.FfmpegAsync(
            "-f", "lavfi", "-i", $"aevalsrc={string.Join('|', Enumerable.Repeat(oneChannel, channels))}:s=16000:d=0.5",
            "-acodec", codec, "-f", container, "pipe:1");

        var audio = WavFile.Read(new PipeLikeStream(bytes));

        Assert.Equal(16000, audio.SampleRate);
        Assert.InRange(audio.Samples.Length, 7900, 8100);
        var amplitude = Signals.Amplitude(Signals.SteadyState(audio.Samples, 16000), 1000, 16000);
        Assert.InRange(amplitude, 0.0625 * 0.9, 0.0625 * 1.1);
    }

    [Fact]
    public void Raw_mulaw_alaw_and_pcm16_are_read_at_the_given_rate()
    {
        var codes = new byte[] { 0x00, 0x80, 0xFF };
        var mu = RawAudio.Read(new MemoryStream(codes), SampleEncoding.MuLaw, 8000);
        Assert.Equal(new[] { -32124 / 32768f, 32124 / 32768f, 0f }, mu.Samples);
        var a = RawAudio.Read(new MemoryStream(codes), SampleEncoding.ALaw, 8000);
        Assert.Equal(-5504 / 32768f, a.Samples[0]);
        var pcm = RawAudio.Read(new MemoryStream([0x00, 0x40, 0x01]), SampleEncoding.Pcm16, 8000);
        Assert.Equal(new[] { 0.5f }, pcm.Samples); // trailing half sample dropped
    }
}
