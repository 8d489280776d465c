using System.Text.Json.Nodes;
using Telephony.Testing;

namespace Telephony.MediaNode.Tests.Scenarios;

/// <summary>
/// The repository's function app (host.json and every function.json) copied to a temporary folder with some
/// timer schedules replaced, so the functions program in local host mode fires analyze-capacity and
/// allocate-nodes every second or two instead of every 10–15 s. Everything else is the deployed definition.
/// Point the program at it with <c>--Telephony:FunctionApp:HostJson</c> <see cref="HostJsonPath"/>.
/// </summary>
public sealed class FunctionAppCopy : IDisposable
{
    private readonly DirectoryInfo _root;

    private FunctionAppCopy(DirectoryInfo root) => _root = root;

    public string HostJsonPath => Path.Combine(_root.FullName, "host.json");

    /// <param name="schedules">Function name → NCrontab schedule with seconds (e.g. <c>*/2 * * * * *</c>).</param>
    public static FunctionAppCopy Create(IReadOnlyDictionary<string, string> schedules)
    {
        ArgumentNullException.ThrowIfNull(schedules);
        var root = Directory.CreateTempSubdirectory("function-app-");
        File.Copy(RepoPaths.Combine("host.json"), Path.Combine(root.FullName, "host.json"));
        var replaced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in Directory.EnumerateDirectories(RepoPaths.Combine("functions")))
        {
            var source = Path.Combine(folder, "function.json");
            if (!File.Exists(source))
            {
                continue;
            }

            var name = Path.GetFileName(folder);
            var definition = JsonNode.Parse(File.ReadAllText(source))!;
            if (schedules.TryGetValue(name, out var schedule))
            {
                definition["bindings"]![0]!["schedule"] = schedule;
                replaced.Add(name);
            }

            var target = Directory.CreateDirectory(Path.Combine(root.FullName, "functions", name));
            File.WriteAllText(Path.Combine(target.FullName, "function.json"), definition.ToJsonString());
        }

        // A misspelt name would silently leave the slow schedule in place.
        if (schedules.Keys.FirstOrDefault(n => !replaced.Contains(n)) is { } missing)
        {
            root.Delete(recursive: true);
            throw new ArgumentException($"no function '{missing}' in the repository's function app", nameof(schedules));
        }

        return new FunctionAppCopy(root);
    }

    public void Dispose() => _root.Delete(recursive: true);
}
