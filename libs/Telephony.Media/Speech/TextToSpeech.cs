using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Media.Dsp;
using Telephony.Media.Transcoding;

namespace Telephony.Media.Speech;

public sealed class TextToSpeechOptions
{
    /// <summary>"auto" (espeak-ng, else flite), "espeak-ng" or "flite".</summary>
    public string Engine { get; set; } = "auto";

    public string? EspeakNgPath { get; set; }

    public string? FlitePath { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Twilio's limit for &lt;Say&gt; text.</summary>
    public int MaxTextLength { get; set; } = 4096;

    /// <summary>Bounds the engine runs one request can cause (each prosody change is a run).</summary>
    public int MaxSegments { get; set; } = 32;
}

/// <summary>
/// &lt;Say&gt; rendering: SSML subset → segments → engine runs and silences → one mono buffer at the engine's rate.
/// </summary>
public sealed class TextToSpeech
{
    private readonly TextToSpeechOptions _options;
    private readonly ILogger _logger;

    public TextToSpeech(TextToSpeechOptions? options = null, ILogger<TextToSpeech>? logger = null)
    {
        _options = options ?? new TextToSpeechOptions();
        _logger = logger ?? (ILogger)NullLogger.Instance;
        Engine = CreateEngine(_options);
    }

    public ISpeechEngine Engine { get; }

    /// <summary>A stable description of what this request would sound like (engine + local voice), for cache keys.</summary>
    public string Describe(string? voice, string? language) => $"{Engine.Name}:{Engine.LocalVoice(VoiceSelector.Select(voice, language))}";

    public async Task<AudioBuffer> SynthesizeAsync(string text, string? voice, string? language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > _options.MaxTextLength)
        {
            throw new MediaException(MediaErrorCodes.MediaNotPlayable, $"<Say> text is {text.Length} characters; the limit is {_options.MaxTextLength}");
        }

        var choice = VoiceSelector.Select(voice, language);
        var segments = SsmlParser.Parse(text);
        if (segments.Count(s => s is SpokenText) > _options.MaxSegments)
        {
            throw new MediaException(MediaErrorCodes.MediaNotPlayable, $"<Say> markup splits the text into more than {_options.MaxSegments} parts");
        }

        _logger.LogDebug("Synthesizing {Characters} characters with {Engine} voice {Voice}", text.Length, Engine.Name, Engine.LocalVoice(choice));
        var pieces = new List<(TimeSpan Pause, AudioBuffer? Audio, double Volume)>();
        var rate = 0;
        foreach (var segment in segments)
        {
            switch (segment)
            {
                case SpeechPause pause:
                    pieces.Add((pause.Duration, null, 1));
                    break;
                case SpokenText spoken:
                    var audio = await Engine.SpeakAsync(spoken.Text, choice, spoken.Prosody, cancellationToken);
                    rate = rate == 0 ? audio.SampleRate : rate;
                    pieces.Add((TimeSpan.Zero, audio.SampleRate == rate ? audio : Resampler.Convert(audio, rate), spoken.Prosody.Volume));
                    break;
            }
        }

        return Join(pieces, rate == 0 ? TelephonyAudio.SampleRate : rate);
    }

    private static AudioBuffer Join(List<(TimeSpan Pause, AudioBuffer? Audio, double Volume)> pieces, int rate)
    {
        var total = pieces.Sum(p => p.Audio?.Samples.Length ?? (int)(p.Pause.TotalSeconds * rate));
        var samples = new float[total];
        var offset = 0;
        foreach (var (pause, audio, volume) in pieces)
        {
            if (audio is null)
            {
                offset += (int)(pause.TotalSeconds * rate);
                continue;
            }

            for (var i = 0; i < audio.Samples.Length; i++)
            {
                samples[offset + i] = Math.Clamp((float)(audio.Samples[i] * volume), -1f, 1f);
            }

            offset += audio.Samples.Length;
        }

        return new AudioBuffer(rate, samples);
    }

    private static ISpeechEngine CreateEngine(TextToSpeechOptions options)
    {
        var espeak = ExecutableLocator.Find(options.EspeakNgPath ?? "espeak-ng");
        var flite = ExecutableLocator.Find(options.FlitePath ?? "flite");
        return options.Engine.ToLowerInvariant() switch
        {
            "espeak-ng" or "espeak" => espeak is not null ? new EspeakNgEngine(espeak, options.Timeout) : throw Missing("espeak-ng"),
            "flite" => flite is not null ? new FliteEngine(flite, options.Timeout) : throw Missing("flite"),
            "auto" => espeak is not null ? new EspeakNgEngine(espeak, options.Timeout)
                : flite is not null ? new FliteEngine(flite, options.Timeout)
                : throw new MediaException(MediaErrorCodes.MediaNotPlayable, "no text-to-speech engine: install espeak-ng (apt-get install espeak-ng) or flite (apt-get install flite)"),
            _ => throw new ArgumentException($"unknown TTS engine '{options.Engine}' (auto, espeak-ng, flite)", nameof(options)),
        };
    }

    private static MediaException Missing(string tool) =>
        new(MediaErrorCodes.MediaNotPlayable, $"the {tool} text-to-speech engine is not installed (apt-get install {tool})");
}
