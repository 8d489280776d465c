using Telephony.Media.Codecs;
using Telephony.Media.Formats;
using Telephony.Media.Transcoding;

namespace Telephony.Media.Tests;

public sealed class TranscoderTests
{
    // Written to a real file: MP4 and AIFF muxers seek back to patch their headers.
    private static async Task<byte[]> ToneFileAsync(string format, params string[] codecArguments)
    {
        var path = Path.Combine(Path.GetTempPath(), $"media-tone-{Guid.NewGuid():N}");
        try
        {
            await ExternalProcessHelper.FfmpegAsync(
                ["-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*1000*t)|0.5*sin(2*PI*1000*t):s=44100:d=1", .. codecArguments, "-f", format, "-y", path]);
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static float[] Decode(TelephonyAudio audio)
    {
        var samples = new float[audio.Payload.Length];
        G711.Decode(audio.Payload, samples, audio.Encoding);
        return samples;
    }

    private static void AssertTelephonyTone(TelephonyAudio audio, double toleranceDb)
    {
        Assert.InRange(audio.Duration.TotalSeconds, 0.95, 1.1);
        var samples = Decode(audio);
        var level = Signals.Db(Signals.Amplitude(Signals.SteadyState(samples, 8000), 1000, 8000) / 0.5);
        Assert.InRange(level, -toleranceDb, toleranceDb);
    }

    [Theory]
    [InlineData("mp3", "audio/mpeg", new[] { "-acodec", "libmp3lame", "-b:a", "128k" })]
    [InlineData("ogg", "audio/ogg", new[] { "-acodec", "libvorbis" })]
    [InlineData("flac", "audio/flac", new[] { "-acodec", "flac" })]
    [InlineData("ipod", "audio/mp4", new[] { "-acodec", "aac", "-b:a", "128k" })]
    [InlineData("aiff", "audio/aiff", new string[0])]
    [InlineData("wav", "audio/wav", new[] { "-acodec", "pcm_f32le" })]
    [InlineData("wav", "audio/wav", new[] { "-acodec", "adpcm_ms" })] // a codec only ffmpeg knows
    public async Task Every_format_becomes_an_8_kHz_mulaw_tone_at_the_same_level(string format, string contentType, string[] codec)
    {
        var file = await ToneFileAsync(format, codec);
        var audio = await new TelephonyTranscoder().TranscodeAsync(file, contentType, TelephonyEncoding.MuLaw, CancellationToken.None);
        Assert.Equal(TelephonyEncoding.MuLaw, audio.Encoding);
        AssertTelephonyTone(audio, toleranceDb: 1.0);
    }

    [Fact]
    public async Task ALaw_is_produced_on_demand_and_the_wav_header_says_so()
    {
        var file = await ToneFileAsync("wav", "-acodec", "pcm_s16le");
        var audio = await new TelephonyTranscoder().TranscodeAsync(file, "audio/x-wav", TelephonyEncoding.ALaw, CancellationToken.None);
        AssertTelephonyTone(audio, 0.5);
        var wav = audio.ToWavBytes();
        Assert.Equal(6, BitConverter.ToUInt16(wav, 20));
        var reread = TelephonyAudio.FromWavBytes(wav);
        Assert.Equal(audio.Payload, reread.Payload);
        Assert.Equal(TelephonyEncoding.ALaw, reread.Encoding);
    }

    [Fact]
    public async Task MP3_falls_back_to_mpg123_when_ffmpeg_is_missing()
    {
        var file = await ToneFileAsync("mp3", "-acodec", "libmp3lame");
        var decoder = new CompressedAudioDecoder(new CompressedAudioDecoderOptions { FfmpegPath = "/nonexistent/ffmpeg" });
        var audio = await new TelephonyTranscoder(decoder).TranscodeAsync(file, "audio/mpeg", TelephonyEncoding.MuLaw, CancellationToken.None);
        AssertTelephonyTone(audio, 1.0);
    }

    [Fact]
    public async Task Missing_decoders_are_named_in_the_error()
    {
        var decoder = new CompressedAudioDecoder(new CompressedAudioDecoderOptions { FfmpegPath = "/nonexistent/ffmpeg", Mpg123Path = "/nonexistent/mpg123" });
        var transcoder = new TelephonyTranscoder(decoder);
        var mp3 = await transcoder.TranscodeAsync(await ToneFileAsync("mp3", "-acodec", "libmp3lame"), "audio/mpeg", TelephonyEncoding.MuLaw, CancellationToken.None)
            .ContinueWith(t => t.Exception?.InnerException, TaskScheduler.Default);
        var error = Assert.IsType<MediaException>(mp3);
        Assert.Contains("apt-get install ffmpeg", error.Message, StringComparison.Ordinal);
        Assert.Contains("mpg123", error.Message, StringComparison.Ordinal);
        Assert.Equal(MediaErrorCodes.MediaNotPlayable, error.Code);
    }

    [Fact]
    public async Task An_html_error_page_served_as_audio_is_an_invalid_content_type()
    {
        var html = "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>"u8.ToArray();
        var error = await Assert.ThrowsAsync<MediaException>(() =>
            new TelephonyTranscoder().TranscodeAsync(html, "audio/mpeg", TelephonyEncoding.MuLaw, CancellationToken.None));
        Assert.Equal(MediaErrorCodes.InvalidContentType, error.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(1000)]
    public async Task Empty_truncated_and_corrupt_files_are_media_errors(int keep)
    {
        var mp3 = await ToneFileAsync("mp3", "-acodec", "libmp3lame");
        var random = new Random(keep);
        var corrupt = mp3.AsSpan(0, Math.Min(keep, mp3.Length)).ToArray();
        var transcoder = new TelephonyTranscoder();
        try
        {
            var audio = await transcoder.TranscodeAsync(corrupt, "audio/mpeg", TelephonyEncoding.MuLaw, CancellationToken.None);
            Assert.True(keep > 0 && audio.Duration < TimeSpan.FromSeconds(1)); // partial decode of a truncated file
        }
        catch (MediaException error)
        {
            Assert.Equal(MediaErrorCodes.MediaNotPlayable, error.Code);
        }

        var garbage = new byte[4000];
        random.NextBytes(garbage);
        "ID3"u8.CopyTo(garbage);
        try
        {
            _ = await transcoder.TranscodeAsync(garbage, "audio/mpeg", TelephonyEncoding.MuLaw, CancellationToken.None);
        }
        catch (MediaException error)
        {
            Assert.Equal(MediaErrorCodes.MediaNotPlayable, error.Code);
        }
    }

    [Fact]
    public async Task Unknown_bytes_are_refused_unless_declared_raw_mulaw()
    {
        var bytes = new byte[800];
        new Random(5).NextBytes(bytes);
        bytes[0] = 0x01; // not a known magic, not text
        var transcoder = new TelephonyTranscoder();
        var error = await Assert.ThrowsAsync<MediaException>(() => transcoder.TranscodeAsync(bytes, "application/octet-stream", TelephonyEncoding.MuLaw, CancellationToken.None));
        Assert.Equal(MediaErrorCodes.MediaNotPlayable, error.Code);

        var raw = await transcoder.TranscodeAsync(bytes, "audio/basic", TelephonyEncoding.MuLaw, CancellationToken.None);
        // μ-law in, μ-law out at 8 kHz: bit-exact, except that negative zero becomes the canonical positive zero.
        Assert.Equal(bytes.Select(b => b == 0x7F ? (byte)0xFF : b).ToArray(), raw.Payload);
    }

    [Fact]
    public async Task Audio_longer_than_the_limit_is_refused()
    {
        var file = await ToneFileAsync("wav", "-acodec", "pcm_s16le");
        var transcoder = new TelephonyTranscoder { MaxDuration = TimeSpan.FromSeconds(0.5) };
        var error = await Assert.ThrowsAsync<MediaException>(() => transcoder.TranscodeAsync(file, "audio/wav", TelephonyEncoding.MuLaw, CancellationToken.None));
        Assert.Contains("limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decoder_that_overruns_its_timeout_is_killed_with_its_children()
    {
        // A stand-in "ffmpeg" that never finishes and has a child process of its own.
        var directory = Directory.CreateTempSubdirectory("hanging-decoder-");
        try
        {
            var childPidFile = Path.Combine(directory.FullName, "child.pid");
            var script = Path.Combine(directory.FullName, "ffmpeg");
            await File.WriteAllTextAsync(script, $"#!/bin/sh\nsleep 300 &\necho $! > {childPidFile}\nwait\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var decoder = new CompressedAudioDecoder(new CompressedAudioDecoderOptions { FfmpegPath = script, Timeout = TimeSpan.FromSeconds(2) });
            var mp3 = await ToneFileAsync("mp3", "-acodec", "libmp3lame");

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<MediaException>(() =>
                new TelephonyTranscoder(decoder).TranscodeAsync(mp3, "audio/mpeg", TelephonyEncoding.MuLaw, CancellationToken.None));

            Assert.Contains("did not finish", error.Message, StringComparison.Ordinal);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60));

            // The script writes its child's pid at once; 2 s leaves a loaded machine ample time to get there.
            var childPid = int.Parse((await File.ReadAllTextAsync(childPidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(await HasExitedAsync(childPid, TimeSpan.FromSeconds(30)), "the decoder's child process survived");
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        static async Task<bool> HasExitedAsync(int pid, TimeSpan timeout)
        {
            System.Diagnostics.Process process;
            try
            {
                process = System.Diagnostics.Process.GetProcessById(pid);
            }
            catch (ArgumentException)
            {
                return true; // already gone
            }

            using (process)
            {
                using var wait = new CancellationTokenSource(timeout);
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                    return true;
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }
    }

    [Fact]
    public async Task Stereo_44k_wav_with_out_of_band_content_comes_out_clean()
    {
        // 1.1 kHz wanted (its μ-law harmonics avoid 3 kHz) + 5 kHz that would fold to 3 kHz.
        var file = await ExternalProcessHelper.FfmpegAsync(
            "-f", "lavfi", "-i", "aevalsrc=0.4*sin(2*PI*1100*t)+0.4*sin(2*PI*5000*t)|0.4*sin(2*PI*1100*t)+0.4*sin(2*PI*5000*t):s=44100:d=1",
            "-acodec", "pcm_s16le", "-f", "wav", "pipe:1");
        var path = Path.Combine(Path.GetTempPath(), $"media-test-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(path, file);
        try
        {
            var audio = await new TelephonyTranscoder().TranscodeFileAsync(path, TelephonyEncoding.MuLaw, CancellationToken.None);
            var samples = Signals.SteadyState(Decode(audio), 8000);
            Assert.InRange(Signals.Amplitude(samples, 1100, 8000), 0.38, 0.42);
            Assert.True(Signals.Amplitude(samples, 3000, 8000) < 0.002, "the 5 kHz tone aliased to 3 kHz");
            Assert.Equal(8000, audio.Payload.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E' }, AudioContainer.Wav)]
    [InlineData(new byte[] { (byte)'I', (byte)'D', (byte)'3', 4 }, AudioContainer.Mp3)]
    [InlineData(new byte[] { 0xFF, 0xFB, 0x90, 0x00 }, AudioContainer.Mp3)]
    [InlineData(new byte[] { (byte)'O', (byte)'g', (byte)'g', (byte)'S' }, AudioContainer.Ogg)]
    [InlineData(new byte[] { (byte)'f', (byte)'L', (byte)'a', (byte)'C' }, AudioContainer.Flac)]
    [InlineData(new byte[] { 0x20, 0x0A, (byte)'<', (byte)'h' }, AudioContainer.Text)]
    [InlineData(new byte[] { (byte)'{', (byte)'"' }, AudioContainer.Text)]
    [InlineData(new byte[] { 0x01, 0x02, 0x03, 0x00 }, AudioContainer.Unknown)]
    public void Sniffing_trusts_bytes_not_names(byte[] head, AudioContainer expected) =>
        Assert.Equal(expected, AudioSniffer.Sniff(head));

    [Fact]
    public void Streaming_encoder_matches_whole_buffer_encoding()
    {
        var tone = Signals.Tone(700, 22050, 0.7, 0.3);
        using var wav = new MemoryStream();
        WavFile.Write(wav, new AudioBuffer(22050, tone));
        wav.Position = 0;
        var streamed = TelephonyEncoder.Encode(WavReader.Open(wav), TelephonyEncoding.MuLaw);
        var whole = TelephonyEncoder.Encode(WavFile.Read(new MemoryStream(wav.ToArray())), TelephonyEncoding.MuLaw);
        Assert.Equal(whole.Payload, streamed.Payload);
    }
}
