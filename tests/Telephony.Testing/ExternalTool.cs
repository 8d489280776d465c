namespace Telephony.Testing;

/// <summary>Finds external programs (sipp, ffmpeg, espeak-ng, node…) on PATH.</summary>
public static class ExternalTool
{
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Like <see cref="Find"/>, but a missing tool fails the test with a message naming what to install (./test.sh installs them).</summary>
    public static string Require(string name, string debianPackage) =>
        Find(name) ?? throw new InvalidOperationException(
            $"'{name}' is not installed; ./test.sh installs it (apt-get install {debianPackage}).");
}
