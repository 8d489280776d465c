using Telephony.Media;
using Telephony.Media.Codecs;
using Telephony.Media.Transcoding;

namespace Telephony.MediaNode.Prompts;

/// <summary>Media-layer audio (8 kHz mono G.711 WAV) to the PCM16 samples an RTP session sends.</summary>
public static class PromptWav
{
    public static short[] ToSamples(ReadOnlySpan<byte> wav)
    {
        TelephonyAudio audio;
        try
        {
            audio = TelephonyAudio.FromWavBytes(wav.ToArray());
        }
        catch (MediaFormatException e)
        {
            throw new PromptAudioException(MediaErrorCodes.MediaNotPlayable, "the media layer returned unreadable audio: " + e.Message, e);
        }

        var samples = new short[audio.Payload.Length];
        G711.Decode(audio.Payload, samples, audio.Encoding);
        return samples;
    }
}
