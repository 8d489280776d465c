namespace Telephony.Media.Transcoding;

/// <summary>What the first bytes of a file say it is, whatever its Content-Type claims.</summary>
public enum AudioContainer
{
    Unknown,
    Wav,
    Mp3,
    Ogg,
    Flac,
    Mp4,
    Aiff,
    Matroska,
    SunAu,

    /// <summary>HTML, XML, JSON or other text: an error page or TwiML, never audio.</summary>
    Text,
}

public static class AudioSniffer
{
    public static AudioContainer Sniff(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8))
        {
            return AudioContainer.Wav;
        }

        if (head.StartsWith("ID3"u8) || (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0))
        {
            return AudioContainer.Mp3;
        }

        if (head.StartsWith("OggS"u8))
        {
            return AudioContainer.Ogg;
        }

        if (head.StartsWith("fLaC"u8))
        {
            return AudioContainer.Flac;
        }

        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return AudioContainer.Mp4;
        }

        if (head.Length >= 12 && head[..4].SequenceEqual("FORM"u8) && (head[8..12].SequenceEqual("AIFF"u8) || head[8..12].SequenceEqual("AIFC"u8)))
        {
            return AudioContainer.Aiff;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            return AudioContainer.Matroska;
        }

        if (head.StartsWith(".snd"u8))
        {
            return AudioContainer.SunAu;
        }

        return LooksLikeText(head) ? AudioContainer.Text : AudioContainer.Unknown;
    }

    // Markup or JSON after optional BOM and whitespace, or a head made only of printable text.
    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        var trimmed = head.TrimStart(" \t\r\n"u8);
        if (trimmed.IsEmpty)
        {
            return false;
        }

        if (trimmed[0] is (byte)'<' or (byte)'{' or (byte)'[')
        {
            return true;
        }

        var sample = head[..Math.Min(head.Length, 512)];
        foreach (var b in sample)
        {
            if (b < 0x09 || (b > 0x0D && b < 0x20) || b == 0x7F)
            {
                return false;
            }
        }

        return sample.Length >= 16;
    }
}
