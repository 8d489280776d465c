using Telephony.Media.Speech;
using Telephony.Media.Transcoding;

namespace Telephony.Media.Tests;

public sealed class VoiceSelectorTests
{
    [Theory]
    [InlineData(null, null, VoiceGender.Female, "en-US")]
    [InlineData("man", null, VoiceGender.Male, "en-US")]
    [InlineData("woman", "en-GB", VoiceGender.Female, "en-GB")]
    [InlineData("alice", "es-ES", VoiceGender.Female, "es-ES")]
    [InlineData("Polly.Amy", null, VoiceGender.Female, "en-GB")]
    [InlineData("Polly.Matthew-Neural", null, VoiceGender.Male, "en-US")]
    [InlineData("Polly.Hans", "de-DE", VoiceGender.Male, "de-DE")]
    [InlineData("Google.fr-FR-Standard-B", null, VoiceGender.Male, "fr-FR")]
    [InlineData("Google.de-DE-Wavenet-A", null, VoiceGender.Female, "de-DE")]
    public void Twilio_voices_map_to_gender_and_language(string? voice, string? language, VoiceGender gender, string expectedLanguage) =>
        Assert.Equal(new VoiceChoice(gender, expectedLanguage), VoiceSelector.Select(voice, language));

    [Theory]
    [InlineData("en-US", VoiceGender.Female, "en-us")]
    [InlineData("en-GB", VoiceGender.Male, "en-gb")]
    [InlineData("en-AU", VoiceGender.Female, "en-gb")]
    [InlineData("es-ES", VoiceGender.Female, "es")]
    [InlineData("es-MX", VoiceGender.Female, "es-419")]
    [InlineData("fr-FR", VoiceGender.Female, "fr-fr")]
    [InlineData("fr-CA", VoiceGender.Male, "fr-fr")]
    [InlineData("de-DE", VoiceGender.Female, "de")]
    [InlineData("pt-BR", VoiceGender.Female, "pt-br")]
    [InlineData("xx-YY", VoiceGender.Female, "en-us")]
    public void Espeak_picks_the_nearest_installed_language(string language, VoiceGender gender, string expected)
    {
        var engine = new EspeakNgEngine(ExecutableLocator.Find("espeak-ng") ?? throw new InvalidOperationException("espeak-ng is not installed (apt-get install espeak-ng)"), TimeSpan.FromSeconds(30));
        Assert.Equal(expected, engine.ResolveLanguage(language));
        Assert.EndsWith(gender == VoiceGender.Male ? "+m3" : "+f3", engine.LocalVoice(new VoiceChoice(gender, language)), StringComparison.Ordinal);
    }

    [Fact]
    public void Flite_uses_its_female_and_male_voices()
    {
        var engine = new FliteEngine("flite", TimeSpan.FromSeconds(30));
        Assert.Equal("slt", engine.LocalVoice(new VoiceChoice(VoiceGender.Female, "en-US")));
        Assert.Equal("rms", engine.LocalVoice(new VoiceChoice(VoiceGender.Male, "en-GB")));
    }
}
