using Telephony.Media.Speech;
using Telephony.Media.Transcoding;

namespace Telephony.Media.Tests;

public sealed class TextToSpeechTests
{
    private static TextToSpeech Engine(string name) => new(new TextToSpeechOptions { Engine = name });

    private static double LongestSilenceSeconds(AudioBuffer audio)
    {
        int longest = 0, run = 0;
        foreach (var sample in audio.Samples)
        {
            run = Math.Abs(sample) < 0.002 ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest / (double)audio.SampleRate;
    }

    [Theory]
    [InlineData("espeak-ng", 22050)]
    [InlineData("flite", 16000)]
    public async Task Engines_speak_words_as_audible_audio(string engine, int rate)
    {
        var audio = await Engine(engine).SynthesizeAsync("Hello, this is a test of the telephone system.", "woman", "en-US", CancellationToken.None);
        Assert.Equal(rate, audio.SampleRate);
        Assert.InRange(audio.Duration.TotalSeconds, 1.0, 8.0);
        Assert.True(Signals.Rms(audio.Samples) > 0.02, "speech is too quiet");

        var telephony = TelephonyEncoder.Encode(audio, TelephonyEncoding.MuLaw);
        Assert.Equal(audio.Duration.TotalSeconds, telephony.Duration.TotalSeconds, 2);
    }

    [Fact]
    public async Task Break_tags_put_real_silence_between_words()
    {
        var tts = Engine("espeak-ng");
        var plain = await tts.SynthesizeAsync("one two", "man", null, CancellationToken.None);
        var paused = await tts.SynthesizeAsync("one <break time=\"2s\"/> two", "man", null, CancellationToken.None);
        Assert.True(paused.Duration - plain.Duration > TimeSpan.FromSeconds(1.7));
        Assert.True(LongestSilenceSeconds(paused) >= 1.9);
    }

    [Fact]
    public async Task Prosody_rate_changes_speaking_time()
    {
        var tts = Engine("espeak-ng");
        const string Words = "the quick brown fox jumps over the lazy dog";
        var slow = await tts.SynthesizeAsync($"<prosody rate=\"x-slow\">{Words}</prosody>", null, null, CancellationToken.None);
        var fast = await tts.SynthesizeAsync($"<prosody rate=\"x-fast\">{Words}</prosody>", null, null, CancellationToken.None);
        Assert.True(slow.Duration > fast.Duration * 1.5, $"slow {slow.Duration}, fast {fast.Duration}");
    }

    [Fact]
    public async Task Different_voices_and_languages_sound_different()
    {
        var tts = Engine("espeak-ng");
        var man = await tts.SynthesizeAsync("good morning", "man", "en-GB", CancellationToken.None);
        var woman = await tts.SynthesizeAsync("good morning", "woman", "en-GB", CancellationToken.None);
        Assert.NotEqual(man.Samples, woman.Samples);
        Assert.NotEqual(tts.Describe("man", "en-GB"), tts.Describe("woman", "en-GB"));
        Assert.NotEqual(tts.Describe("alice", "de-DE"), tts.Describe("alice", "fr-FR"));
    }

    [Fact]
    public async Task Text_is_never_interpreted_by_a_shell_or_as_options()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"tts-injection-{Guid.NewGuid():N}");
        var audio = await Engine("espeak-ng").SynthesizeAsync($"--help $(touch {marker}) `touch {marker}`; touch {marker}", null, null, CancellationToken.None);
        Assert.True(audio.Samples.Length > 0);
        Assert.False(File.Exists(marker));
        var flite = await Engine("flite").SynthesizeAsync($"-o /dev/null $(touch {marker})", null, null, CancellationToken.None);
        Assert.True(flite.Samples.Length > 0);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Text_over_4096_characters_is_refused()
    {
        var error = await Assert.ThrowsAsync<MediaException>(() =>
            Engine("espeak-ng").SynthesizeAsync(new string('a', 4097), null, null, CancellationToken.None));
        Assert.Contains("4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_engine_names_the_package_to_install()
    {
        var error = Assert.Throws<MediaException>(() => new TextToSpeech(new TextToSpeechOptions { Engine = "flite", FlitePath = "/nonexistent/flite" }));
        Assert.Contains("apt-get install flite", error.Message, StringComparison.Ordinal);
    }
}
