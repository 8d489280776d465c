namespace Telephony.Functions.Hosting.Configuration;

/// <summary>
/// host.json plus every function.json. In the repository, host.json is at the root and the function
/// folders under <c>functions/</c>; in a deployed app they sit side by side. Both layouts are read.
/// </summary>
internal sealed record FunctionApp(string HostJsonPath, HostSettings Host, IReadOnlyList<FunctionDefinition> Functions)
{
    public const string HostJsonKey = "Telephony:FunctionApp:HostJson";
    public const string FunctionsDirectoryKey = "Telephony:FunctionApp:FunctionsDirectory";

    public FunctionDefinition? Find(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Loads from configured paths, else from the first host.json found above the working or program folder.</summary>
    public static FunctionApp Load(IConfiguration configuration, string contentRoot)
    {
        var hostJson = configuration[HostJsonKey] ?? FindHostJson(contentRoot)
            ?? throw new InvalidOperationException(
                $"host.json was not found above '{contentRoot}' or the program folder; set {HostJsonKey}.");
        hostJson = Path.GetFullPath(hostJson);
        if (!File.Exists(hostJson))
        {
            throw new InvalidOperationException($"host.json not found at '{hostJson}' ({HostJsonKey}).");
        }

        var host = HostSettings.Parse(File.ReadAllText(hostJson), hostJson);
        var appRoot = Path.GetDirectoryName(hostJson)!;
        var functionsDirectory = configuration[FunctionsDirectoryKey] ?? DefaultFunctionsDirectory(appRoot);
        var functions = new List<FunctionDefinition>();
        foreach (var folder in Directory.EnumerateDirectories(functionsDirectory).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(folder, "function.json");
            if (File.Exists(file))
            {
                functions.Add(FunctionDefinition.Parse(Path.GetFileName(folder), File.ReadAllText(file), file));
            }
        }

        return new FunctionApp(hostJson, host, functions);
    }

    private static string DefaultFunctionsDirectory(string appRoot)
    {
        var nested = Path.Combine(appRoot, "functions");
        return Directory.Exists(nested) ? nested : appRoot;
    }

    private static string? FindHostJson(string contentRoot)
    {
        foreach (var start in new[] { contentRoot, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "host.json");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
