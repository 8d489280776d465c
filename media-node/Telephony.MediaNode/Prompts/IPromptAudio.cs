using Telephony.Twiml.Interpreting;

namespace Telephony.MediaNode.Prompts;

/// <summary>
/// Turns &lt;Play&gt; URLs and &lt;Say&gt; text into call audio (8 kHz PCM16). The node plays what it gets;
/// where the audio comes from (in-process transcoding and TTS, or the media function) is behind this port.
/// </summary>
public interface IPromptAudio
{
    /// <summary>The audio at <paramref name="url"/>; throws <see cref="PromptAudioException"/> when it cannot be played.</summary>
    Task<short[]> PlayAsync(string url, CancellationToken cancellationToken);

    /// <summary>Synthesized speech; throws <see cref="PromptAudioException"/> when it cannot be spoken.</summary>
    Task<short[]> SayAsync(SpeechRequest speech, CancellationToken cancellationToken);
}

/// <summary>A prompt that cannot be played, with Twilio's error code (11200 fetch, 12300 content type, 13227…).</summary>
public sealed class PromptAudioException : Exception
{
    public PromptAudioException()
    {
    }

    public PromptAudioException(string message)
        : base(message)
    {
    }

    public PromptAudioException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PromptAudioException(int code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    public int Code { get; } = 11200;
}
