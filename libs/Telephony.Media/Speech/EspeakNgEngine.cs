using System.Globalization;
using Telephony.Media.Formats;
using Telephony.Media.Transcoding;

namespace Telephony.Media.Speech;

/// <summary>espeak-ng: many languages; text on stdin (never argv), WAV on stdout.</summary>
public sealed class EspeakNgEngine : ISpeechEngine
{
    private const int DefaultWordsPerMinute = 175;

    // Twilio locales espeak-ng lacks, mapped to its nearest voice.
    private static readonly Dictionary<string, string> NearestLanguage = new(StringComparer.OrdinalIgnoreCase)
    {
        ["en-au"] = "en-gb",
        ["en-in"] = "en-gb",
        ["en-nz"] = "en-gb",
        ["en-za"] = "en-gb",
        ["en-ie"] = "en-gb",
        ["en-gb-wls"] = "en-gb",
        ["es-mx"] = "es-419",
        ["es-us"] = "es-419",
        ["fr-ca"] = "fr-fr",
        ["cmn-cn"] = "cmn",
        ["zh-cn"] = "cmn",
        ["zh-tw"] = "cmn",
        ["zh-hk"] = "yue",
        ["nb-no"] = "nb",
        ["no"] = "nb",
        ["arb"] = "ar",
        ["ca-es"] = "ca",
    };

    private readonly string _executable;
    private readonly TimeSpan _timeout;
    private readonly Lazy<Dictionary<string, string>> _voiceFiles;

    public EspeakNgEngine(string executable, TimeSpan timeout)
    {
        _executable = executable;
        _timeout = timeout;
        _voiceFiles = new Lazy<Dictionary<string, string>>(ListVoiceFiles, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Name => "espeak-ng";

    public string LocalVoice(VoiceChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        // The voice file (e.g. gmw/en), not the language name: some language names ignore a +variant.
        return $"{_voiceFiles.Value[ResolveLanguage(choice.Language)]}+{(choice.Gender == VoiceGender.Male ? "m3" : "f3")}";
    }

    public async Task<AudioBuffer> SpeakAsync(string text, VoiceChoice choice, Prosody prosody, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(prosody);
        var rate = (int)Math.Clamp(DefaultWordsPerMinute * prosody.Rate, 80, 450);
        var pitch = (int)Math.Clamp(50 * prosody.Pitch, 0, 99);
        string[] arguments =
        [
            "-v", LocalVoice(choice),
            "-s", rate.ToString(CultureInfo.InvariantCulture),
            "-p", pitch.ToString(CultureInfo.InvariantCulture),
            "--stdin",

            // espeak-ng applies options in order and --stdout starts output: it must come last or the voice is ignored.
            "--stdout",
        ];
        var input = System.Text.Encoding.UTF8.GetBytes(text + "\n");
        return await ExternalProcess.RunAsync(_executable, arguments, input, stdout => WavReader.Open(stdout).ReadToEnd(), _timeout, cancellationToken);
    }

    /// <summary>The installed espeak-ng language nearest to a Twilio language code.</summary>
    public string ResolveLanguage(string requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var tag = requested.ToLowerInvariant();
        var known = _voiceFiles.Value;
        if (known.ContainsKey(tag))
        {
            return tag;
        }

        if (NearestLanguage.TryGetValue(tag, out var nearest) && known.ContainsKey(nearest))
        {
            return nearest;
        }

        var primary = tag.Split('-')[0];
        if (known.ContainsKey(primary))
        {
            return primary;
        }

        // e.g. fr-FR → fr-fr is listed; de-DE → de; anything else → the first voice of that language.
        var sameLanguage = known.Keys.Where(l => l.StartsWith(primary + "-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).FirstOrDefault();
        return sameLanguage ?? (known.ContainsKey("en-us") ? "en-us" : known.Keys.Order(StringComparer.Ordinal).FirstOrDefault()
            ?? throw new MediaException(MediaErrorCodes.MediaNotPlayable, "espeak-ng lists no voices: is espeak-ng-data installed?"));
    }

    private Dictionary<string, string> ListVoiceFiles()
    {
        var languages = new Dictionary<string, string>(StringComparer.Ordinal);
        var listing = ExternalProcess.RunAsync(
            _executable, ["--voices"], null, stdout => new StreamReader(stdout).ReadToEnd(), _timeout, CancellationToken.None).GetAwaiter().GetResult();
        foreach (var line in listing.Split('\n').Skip(1))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

            // MBROLA voices need extra packages; skip them.
            if (columns.Length >= 5 && !columns[4].StartsWith("mb/", StringComparison.Ordinal))
            {
                languages.TryAdd(columns[1].ToLowerInvariant(), columns[4]);
            }
        }

        return languages;
    }
}
