using Telephony.MediaNode.Prompts;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Tests;

/// <summary>The node's memory of synthesized speech: one media-layer request per text, shared, bounded, failures not kept.</summary>
public sealed class SpeechPromptMemoryTests
{
    private static readonly SpeechRequest Hi = new("hi", null, "man", "en-US");

    [Fact]
    public async Task The_same_speech_is_fetched_once_even_when_asked_for_at_the_same_time()
    {
        var source = new CountingPrompts();
        var memory = new SpeechPromptMemory(source, maxSamples: 1_000_000);

        var first = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => memory.SayAsync(Hi, CancellationToken.None)));
        var later = await memory.SayAsync(Hi with { }, CancellationToken.None);

        Assert.Equal(1, source.SayCount);
        Assert.All(first, samples => Assert.Same(first[0], samples));
        Assert.Same(first[0], later);
        Assert.Equal(first[0].Length, memory.Samples);
    }

    [Fact]
    public async Task Another_voice_language_or_text_is_other_speech()
    {
        var source = new CountingPrompts();
        var memory = new SpeechPromptMemory(source, maxSamples: 1_000_000);

        await memory.SayAsync(Hi, CancellationToken.None);
        await memory.SayAsync(Hi with { Voice = "woman" }, CancellationToken.None);
        await memory.SayAsync(Hi with { Language = "en-GB" }, CancellationToken.None);
        await memory.SayAsync(Hi with { Text = "hello" }, CancellationToken.None);

        Assert.Equal(4, source.SayCount);
    }

    [Fact]
    public async Task A_failed_fetch_is_not_kept_and_Play_is_never_kept()
    {
        var source = new CountingPrompts { FailNext = true };
        var memory = new SpeechPromptMemory(source, maxSamples: 1_000_000);

        await Assert.ThrowsAsync<PromptAudioException>(() => memory.SayAsync(Hi, CancellationToken.None));
        await memory.SayAsync(Hi, CancellationToken.None);
        await memory.PlayAsync("https://example.invalid/a.wav", CancellationToken.None);
        await memory.PlayAsync("https://example.invalid/a.wav", CancellationToken.None);

        Assert.Equal(2, source.SayCount);
        Assert.Equal(2, source.PlayCount);
    }

    [Fact]
    public async Task Once_full_new_texts_are_fetched_every_time()
    {
        var source = new CountingPrompts();
        var memory = new SpeechPromptMemory(source, maxSamples: CountingPrompts.Length);

        await memory.SayAsync(Hi, CancellationToken.None);
        await memory.SayAsync(Hi with { Text = "other" }, CancellationToken.None);
        await memory.SayAsync(Hi with { Text = "other" }, CancellationToken.None);
        await memory.SayAsync(Hi, CancellationToken.None);

        Assert.Equal(3, source.SayCount);
        Assert.Equal(CountingPrompts.Length, memory.Samples);
    }

    /// <summary>A prompt source that counts what it was asked for (each answer a fresh 0.1 s array) and can fail once.</summary>
    private sealed class CountingPrompts : IPromptAudio
    {
        public const int Length = 800;
        private int _say;
        private int _play;

        public bool FailNext { get; set; }

        public int SayCount => Volatile.Read(ref _say);

        public int PlayCount => Volatile.Read(ref _play);

        public async Task<short[]> SayAsync(SpeechRequest speech, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _say);
            await Task.Yield();
            if (FailNext)
            {
                FailNext = false;
                throw new PromptAudioException(13520, "synthesis failed");
            }

            return new short[Length];
        }

        public Task<short[]> PlayAsync(string url, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _play);
            return Task.FromResult(new short[Length]);
        }
    }
}
