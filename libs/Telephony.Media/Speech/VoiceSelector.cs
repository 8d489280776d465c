namespace Telephony.Media.Speech;

public enum VoiceGender
{
    Female,
    Male,
}

/// <summary>What a Twilio voice/language pair asks for, in engine-neutral terms.</summary>
public sealed record VoiceChoice(VoiceGender Gender, string Language);

/// <summary>
/// Maps Twilio's <c>voice</c> (man, woman, alice, Polly.*, Google.*) and <c>language</c> (en-US, en-GB, es-ES…)
/// to a gender and a BCP-47 language; engines then pick their nearest local voice.
/// </summary>
public static class VoiceSelector
{
    public const string DefaultLanguage = "en-US";

    // Amazon Polly voices Twilio offers: gender and home language (used when no language attribute is given).
    private static readonly Dictionary<string, (VoiceGender Gender, string Language)> PollyVoices = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Joanna"] = (VoiceGender.Female, "en-US"),
        ["Salli"] = (VoiceGender.Female, "en-US"),
        ["Kendra"] = (VoiceGender.Female, "en-US"),
        ["Kimberly"] = (VoiceGender.Female, "en-US"),
        ["Ivy"] = (VoiceGender.Female, "en-US"),
        ["Ruth"] = (VoiceGender.Female, "en-US"),
        ["Danielle"] = (VoiceGender.Female, "en-US"),
        ["Matthew"] = (VoiceGender.Male, "en-US"),
        ["Joey"] = (VoiceGender.Male, "en-US"),
        ["Justin"] = (VoiceGender.Male, "en-US"),
        ["Kevin"] = (VoiceGender.Male, "en-US"),
        ["Stephen"] = (VoiceGender.Male, "en-US"),
        ["Gregory"] = (VoiceGender.Male, "en-US"),
        ["Amy"] = (VoiceGender.Female, "en-GB"),
        ["Emma"] = (VoiceGender.Female, "en-GB"),
        ["Brian"] = (VoiceGender.Male, "en-GB"),
        ["Arthur"] = (VoiceGender.Male, "en-GB"),
        ["Nicole"] = (VoiceGender.Female, "en-AU"),
        ["Olivia"] = (VoiceGender.Female, "en-AU"),
        ["Russell"] = (VoiceGender.Male, "en-AU"),
        ["Raveena"] = (VoiceGender.Female, "en-IN"),
        ["Aditi"] = (VoiceGender.Female, "en-IN"),
        ["Geraint"] = (VoiceGender.Male, "en-GB-WLS"),
        ["Conchita"] = (VoiceGender.Female, "es-ES"),
        ["Lucia"] = (VoiceGender.Female, "es-ES"),
        ["Enrique"] = (VoiceGender.Male, "es-ES"),
        ["Sergio"] = (VoiceGender.Male, "es-ES"),
        ["Mia"] = (VoiceGender.Female, "es-MX"),
        ["Lupe"] = (VoiceGender.Female, "es-US"),
        ["Penelope"] = (VoiceGender.Female, "es-US"),
        ["Miguel"] = (VoiceGender.Male, "es-US"),
        ["Celine"] = (VoiceGender.Female, "fr-FR"),
        ["Lea"] = (VoiceGender.Female, "fr-FR"),
        ["Mathieu"] = (VoiceGender.Male, "fr-FR"),
        ["Remi"] = (VoiceGender.Male, "fr-FR"),
        ["Chantal"] = (VoiceGender.Female, "fr-CA"),
        ["Gabrielle"] = (VoiceGender.Female, "fr-CA"),
        ["Marlene"] = (VoiceGender.Female, "de-DE"),
        ["Vicki"] = (VoiceGender.Female, "de-DE"),
        ["Hans"] = (VoiceGender.Male, "de-DE"),
        ["Daniel"] = (VoiceGender.Male, "de-DE"),
        ["Carla"] = (VoiceGender.Female, "it-IT"),
        ["Bianca"] = (VoiceGender.Female, "it-IT"),
        ["Giorgio"] = (VoiceGender.Male, "it-IT"),
        ["Adriano"] = (VoiceGender.Male, "it-IT"),
        ["Camila"] = (VoiceGender.Female, "pt-BR"),
        ["Vitoria"] = (VoiceGender.Female, "pt-BR"),
        ["Ricardo"] = (VoiceGender.Male, "pt-BR"),
        ["Ines"] = (VoiceGender.Female, "pt-PT"),
        ["Cristiano"] = (VoiceGender.Male, "pt-PT"),
        ["Lotte"] = (VoiceGender.Female, "nl-NL"),
        ["Ruben"] = (VoiceGender.Male, "nl-NL"),
        ["Mizuki"] = (VoiceGender.Female, "ja-JP"),
        ["Takumi"] = (VoiceGender.Male, "ja-JP"),
        ["Seoyeon"] = (VoiceGender.Female, "ko-KR"),
        ["Zhiyu"] = (VoiceGender.Female, "cmn-CN"),
        ["Tatyana"] = (VoiceGender.Female, "ru-RU"),
        ["Maxim"] = (VoiceGender.Male, "ru-RU"),
        ["Ewa"] = (VoiceGender.Female, "pl-PL"),
        ["Maja"] = (VoiceGender.Female, "pl-PL"),
        ["Jacek"] = (VoiceGender.Male, "pl-PL"),
        ["Jan"] = (VoiceGender.Male, "pl-PL"),
        ["Astrid"] = (VoiceGender.Female, "sv-SE"),
        ["Naja"] = (VoiceGender.Female, "da-DK"),
        ["Mads"] = (VoiceGender.Male, "da-DK"),
        ["Liv"] = (VoiceGender.Female, "nb-NO"),
        ["Filiz"] = (VoiceGender.Female, "tr-TR"),
        ["Carmen"] = (VoiceGender.Female, "ro-RO"),
        ["Dora"] = (VoiceGender.Female, "is-IS"),
        ["Karl"] = (VoiceGender.Male, "is-IS"),
        ["Gwyneth"] = (VoiceGender.Female, "cy-GB"),
        ["Zeina"] = (VoiceGender.Female, "arb"),
    };

    public static VoiceChoice Select(string? voice, string? language)
    {
        var name = voice?.Trim() ?? string.Empty;
        var (gender, homeLanguage) = Describe(name);
        var chosenLanguage = string.IsNullOrWhiteSpace(language) ? homeLanguage ?? DefaultLanguage : language.Trim();
        return new VoiceChoice(gender, chosenLanguage);
    }

    private static (VoiceGender Gender, string? Language) Describe(string voice)
    {
        if (voice.Equals("man", StringComparison.OrdinalIgnoreCase))
        {
            return (VoiceGender.Male, null);
        }

        if (voice.StartsWith("Polly.", StringComparison.OrdinalIgnoreCase))
        {
            var name = voice["Polly.".Length..];
            var dash = name.IndexOf('-', StringComparison.Ordinal); // Polly.Joanna-Neural
            if (dash > 0)
            {
                name = name[..dash];
            }

            return PollyVoices.TryGetValue(name, out var known) ? known : (VoiceGender.Female, null);
        }

        if (voice.StartsWith("Google.", StringComparison.OrdinalIgnoreCase))
        {
            // Google.en-GB-Standard-B / Google.de-DE-Wavenet-A: the language is in the name; B and D are male voices in most locales.
            var parts = voice["Google.".Length..].Split('-');
            var language = parts.Length >= 2 ? $"{parts[0]}-{parts[1]}" : null;
            var variant = parts.Length >= 4 ? parts[^1] : string.Empty;
            return (variant is "B" or "D" or "J" ? VoiceGender.Male : VoiceGender.Female, language);
        }

        // woman, alice and anything unknown.
        return (VoiceGender.Female, null);
    }
}
