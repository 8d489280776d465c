namespace Telephony.Media.Speech;

/// <summary>A local text-to-speech engine. Engines receive plain words only, never markup.</summary>
public interface ISpeechEngine
{
    string Name { get; }

    /// <summary>The engine voice a choice maps to (part of the media cache key, so changing it changes the address).</summary>
    string LocalVoice(VoiceChoice choice);

    Task<AudioBuffer> SpeakAsync(string text, VoiceChoice choice, Prosody prosody, CancellationToken cancellationToken);
}
