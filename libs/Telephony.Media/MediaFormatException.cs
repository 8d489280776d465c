namespace Telephony.Media;

/// <summary>Audio bytes that cannot be understood: wrong magic, truncated header, unsupported or absurd format fields.</summary>
public sealed class MediaFormatException : Exception
{
    public MediaFormatException()
    {
    }

    public MediaFormatException(string message)
        : base(message)
    {
    }

    public MediaFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
