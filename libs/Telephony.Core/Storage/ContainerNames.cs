namespace Telephony.Core.Storage;

/// <summary>Blob container names shared by the functions program, the media nodes and the bicep.</summary>
public static class ContainerNames
{
    /// <summary>Telephony-ready prompt audio (the media cache): blob name = content-derived address.</summary>
    public const string Media = "media";

    /// <summary>Call recordings: <c>{AC}/{RE}.wav</c>.</summary>
    public const string Recordings = "recordings";
}
