using Telephony.Media.Cache;
using Telephony.MediaNode.Prompts;
using Telephony.Testing;
using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Tests;

/// <summary>The node's in-process media path (no functions): MediaCache on a real Azurite container, a loopback audio server, espeak-ng.</summary>
public sealed class CachedPromptAudioTests : IAsyncLifetime
{
    private TenantAppServer App { get; } = new();
    private AzuriteInstance? _azurite;
    private CachedPromptAudio _prompts = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteInstance.StartAsync();
        var container = new Azure.Storage.Blobs.BlobContainerClient(_azurite.ConnectionString, "media-" + Guid.NewGuid().ToString("N")[..12]);
        _prompts = new CachedPromptAudio(MediaCache.Create(container, new MediaCacheOptions { AllowPrivateAddresses = true }));
    }

    [Fact]
    public async Task Play_turns_a_WAV_URL_into_the_tone_it_contains()
    {
        var samples = await _prompts.PlayAsync(App.Url("/tone.wav"), CancellationToken.None);

        Assert.Equal(8000, samples.Length);
        Assert.True(AudioAnalysis.ToneShare(samples.AsSpan(800, 1600), TenantAppServer.ToneHz) > 0.9);
    }

    [Fact]
    public async Task Say_synthesizes_speech_at_telephony_rate()
    {
        var samples = await _prompts.SayAsync(new SpeechRequest("Hello there, this is a test.", null, "alice", "en-US"), CancellationToken.None);

        Assert.InRange(samples.Length, 8000, 8000 * 10);
        Assert.True(AudioAnalysis.LoudBlocks(samples, 300).Count() >= 25);
    }

    [Fact]
    public async Task A_missing_prompt_is_a_PromptAudioException_with_Twilio_code_11200()
    {
        var error = await Assert.ThrowsAsync<PromptAudioException>(() => _prompts.PlayAsync(App.Url("/missing.wav"), CancellationToken.None));

        Assert.Equal(11200, error.Code);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
