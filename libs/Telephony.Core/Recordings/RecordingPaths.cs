using Telephony.Core.Storage;

namespace Telephony.Core.Recordings;

/// <summary>Where a recording lives: its REST path and its blob.</summary>
public static class RecordingPaths
{
    public const string Container = ContainerNames.Recordings;

    /// <summary><c>/2010-04-01/Accounts/{AC}/Recordings/{RE}</c>; add <c>.json</c>, <c>.wav</c> or <c>.mp3</c>.</summary>
    public static string Media(string accountSid, string recordingSid) => $"/2010-04-01/Accounts/{accountSid}/Recordings/{recordingSid}";

    public static string BlobName(string accountSid, string recordingSid) => $"{accountSid}/{recordingSid}.wav";
}
