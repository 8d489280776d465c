using System.Reflection;
using Telephony.Deployment.Tests.Support;
using Telephony.Testing;

namespace Telephony.Deployment.Tests.Bicep;

/// <summary>
/// The bicep CLI from the Azure.Bicep.CommandLine.linux-x64 NuGet package (its path is written into
/// this assembly at build time). Diagnostics are written as "file(line,col) : Level code: message".
/// </summary>
public static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string InfraDirectory { get; } = RepoPaths.Combine("infra");

    public static string Executable { get; } = Locate();

    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        ProcessRunner.RunAsync(Executable, arguments, Timeout, InfraDirectory, environment);

    /// <summary>Every diagnostic line (warnings and errors alike) bicep printed.</summary>
    public static IReadOnlyList<string> Diagnostics(ProcessResult result) =>
        result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(line => line.Contains(" : Warning ", StringComparison.Ordinal)
                || line.Contains(" : Error ", StringComparison.Ordinal)
                || line.Contains(" : Info ", StringComparison.Ordinal))
            .ToList();

    private static string Locate()
    {
        var path = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepExecutable")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"The bicep CLI was not found at '{path}'; restore the Azure.Bicep.CommandLine.linux-x64 package (dotnet restore).");
        }

        // NuGet does not always keep the executable bit when it extracts a package.
        var mode = File.GetUnixFileMode(path);
        const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if ((mode & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, mode | execute);
        }

        return path;
    }
}
