using Telephony.Media.Formats;
using Telephony.Media.Recording;

namespace Telephony.Media.Tests.Recording;

public sealed class RecordingAudioTests
{
    private const int Frame = 160;

    [Fact]
    public void Voice_activity_separates_speech_level_audio_from_a_quiet_line()
    {
        var detector = new VoiceActivityDetector();
        Assert.True(detector.IsVoice(Tone(0.1, Frame)));
        Assert.False(detector.IsVoice(Noise(60, Frame, seed: 1)));
        Assert.False(detector.IsVoice(new short[Frame]));
        Assert.False(detector.IsVoice([]));
    }

    [Fact]
    public void Silence_timeout_ends_after_that_much_consecutive_silence_and_voice_resets_it()
    {
        var rules = new RecordingEndRules(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        for (var i = 0; i < 49; i++)
        {
            Assert.Null(rules.OnFrame(Frame, voice: false));
        }

        Assert.Null(rules.OnFrame(Frame, voice: true));
        for (var i = 0; i < 49; i++)
        {
            Assert.Null(rules.OnFrame(Frame, voice: false));
        }

        Assert.Equal(RecordingStop.Silence, rules.OnFrame(Frame, voice: false));
    }

    [Fact]
    public void Zero_timeout_disables_silence_detection_and_max_length_still_ends_it()
    {
        var rules = new RecordingEndRules(TimeSpan.Zero, TimeSpan.FromSeconds(2));
        for (var i = 0; i < 99; i++)
        {
            Assert.Null(rules.OnFrame(Frame, voice: false));
        }

        Assert.Equal(RecordingStop.MaxLength, rules.OnFrame(Frame, voice: false));
    }

    [Fact]
    public void Trimmed_recording_keeps_the_speech_and_a_short_margin_and_is_a_valid_wav()
    {
        using var file = new MemoryStream();
        var recorder = new FrameRecorder(file, new RecordingEndRules(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)), trimSilence: true);
        Feed(recorder, new short[8000 * 2]); // 2 s silence
        Feed(recorder, Tone(0.1, 8000 * 3)); // 3 s "speech"
        Feed(recorder, Noise(40, 8000, seed: 2)); // 1 s quiet line
        var result = recorder.Finish();

        Assert.False(result.IsEmpty);
        var margin = SilenceTrimmer.DefaultMarginSamples;
        Assert.Equal(24000 + (2 * margin), result.Samples);
        var wav = WavFile.Read(file);
        Assert.Equal(8000, wav.SampleRate);
        Assert.Equal(result.Samples, wav.Samples.Length);
        Assert.Equal(file.Length, WavStreamWriter.HeaderBytes + (result.Samples * 2));

        // The margin before the speech is the silence that preceded it; the speech starts right after.
        Assert.All(wav.Samples[..margin], s => Assert.Equal(0f, s));
        Assert.True(Math.Abs(wav.Samples[margin + 20]) > 0.01f);
    }

    [Fact]
    public void Untrimmed_recording_keeps_everything_received()
    {
        using var file = new MemoryStream();
        var recorder = new FrameRecorder(file, new RecordingEndRules(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)), trimSilence: false);
        Feed(recorder, new short[8000]);
        Feed(recorder, Tone(0.1, 8000));
        Feed(recorder, new short[8000]);
        var result = recorder.Finish();

        Assert.Equal(24000, result.Samples);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Duration);
        Assert.Equal(24000, WavFile.Read(file).Samples.Length);
    }

    [Fact]
    public void Nothing_said_is_an_empty_recording_with_or_without_trimming()
    {
        foreach (var trim in new[] { true, false })
        {
            using var file = new MemoryStream();
            var recorder = new FrameRecorder(file, new RecordingEndRules(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)), trim);
            RecordingStop? stop = null;
            var frames = 0;
            while (stop is null && frames < 1000)
            {
                stop = recorder.Append(Noise(50, Frame, seed: frames++));
            }

            Assert.Equal(RecordingStop.Silence, stop);
            Assert.Equal(50, frames);
            Assert.True(recorder.Finish().IsEmpty);
        }
    }

    [Fact]
    public void Frames_after_the_end_are_ignored()
    {
        using var file = new MemoryStream();
        var recorder = new FrameRecorder(file, new RecordingEndRules(TimeSpan.Zero, TimeSpan.FromMilliseconds(40)), trimSilence: false);
        Assert.Null(recorder.Append(Tone(0.1, Frame)));
        Assert.Equal(RecordingStop.MaxLength, recorder.Append(Tone(0.1, Frame)));
        Assert.Equal(RecordingStop.MaxLength, recorder.Append(Tone(0.1, Frame)));
        Assert.Equal(2 * Frame, recorder.Finish().Samples);
    }

    [Fact]
    public void Two_channel_recording_has_a_stereo_header_and_its_duration_counts_sample_frames()
    {
        using var file = new MemoryStream();
        var recorder = new FrameRecorder(file, new RecordingEndRules(TimeSpan.Zero, TimeSpan.FromMinutes(1)), trimSilence: false, channels: 2);
        var interleaved = new short[2 * Frame];
        for (var i = 0; i < 50; i++)
        {
            recorder.Append(interleaved);
        }

        var result = recorder.Finish();

        Assert.Equal(TimeSpan.FromSeconds(1), result.Duration);
        var header = file.ToArray().AsSpan(0, WavStreamWriter.HeaderBytes);
        Assert.Equal(2, System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(header[22..]));
        Assert.Equal(8000 * 2 * 2, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(header[28..]));
        Assert.Equal(4, System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(header[32..]));
        Assert.Equal(50 * 2 * Frame * 2, System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(header[40..]));
        Assert.Equal(8000, WavFile.Read(file).Samples.Length);
    }

    [Fact]
    public void Writer_refuses_streams_it_cannot_seek()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream();
        Assert.Throws<ArgumentException>(() => new WavStreamWriter(pipe));
    }

    [Fact]
    public void Beep_is_a_quarter_second_tone_at_speech_level()
    {
        var beep = RecordingBeep.Samples();
        Assert.Equal(2000, beep.Length);
        Assert.True(new VoiceActivityDetector().IsVoice(beep.AsSpan(800, Frame)));
        Assert.Equal(0, beep[0]);
    }

    private static void Feed(FrameRecorder recorder, short[] samples)
    {
        for (var i = 0; i + Frame <= samples.Length; i += Frame)
        {
            recorder.Append(samples.AsSpan(i, Frame));
        }
    }

    private static short[] Tone(double amplitude, int count)
    {
        var samples = new short[count];
        for (var n = 0; n < count; n++)
        {
            samples[n] = (short)(32767 * amplitude * Math.Sin(2 * Math.PI * 440 * n / 8000.0));
        }

        return samples;
    }

    private static short[] Noise(int rms, int count, int seed)
    {
        var random = new Random(seed);
        var samples = new short[count];
        for (var n = 0; n < count; n++)
        {
            // Uniform noise of amplitude a has RMS a/sqrt(3).
            samples[n] = (short)(rms * Math.Sqrt(3) * ((random.NextDouble() * 2) - 1));
        }

        return samples;
    }
}
