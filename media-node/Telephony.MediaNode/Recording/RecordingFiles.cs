using Telephony.MediaNode.Configuration;

namespace Telephony.MediaNode.Recording;

/// <summary>Where a recording is written while it is captured: a temporary file, deleted when closed.</summary>
public static class RecordingFiles
{
    public static FileStream OpenTemp(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = string.IsNullOrWhiteSpace(options.RecordingTempPath) ? Path.GetTempPath() : options.RecordingTempPath;
        Directory.CreateDirectory(folder);
        return new FileStream(
            Path.Combine(folder, $"recording-{Guid.NewGuid():N}.wav"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 16384,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
    }
}
