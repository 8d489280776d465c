using System.Text.Json;
using Telephony.Testing;

namespace Telephony.Deployment.Tests.Routes;

/// <summary>One functions/&lt;name&gt;/function.json reduced to its trigger: type, and for HTTP the route and methods.</summary>
public sealed record FunctionDefinition(string Name, string TriggerType, string? Route, IReadOnlyList<string> Methods)
{
    public bool IsHttp => TriggerType.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>The handler-side kind the registry uses for this trigger (Queue, Timer), or null for HTTP.</summary>
    public string? RegistryKind => TriggerType.ToLowerInvariant() switch
    {
        "queuetrigger" => "Queue",
        "timertrigger" => "Timer",
        _ => null,
    };

    /// <summary>Every function.json in the repository, as the package and the Functions host see them.</summary>
    public static IReadOnlyList<FunctionDefinition> LoadAll()
    {
        var definitions = new List<FunctionDefinition>();
        foreach (var folder in Directory.EnumerateDirectories(RepoPaths.Combine("functions")).Order(StringComparer.Ordinal))
        {
            var file = Path.Combine(folder, "function.json");
            if (File.Exists(file))
            {
                definitions.Add(Parse(Path.GetFileName(folder), File.ReadAllText(file)));
            }
        }

        return definitions;
    }

    /// <summary>host.json's extensions.http.routePrefix ("api" when absent, as in the Functions host).</summary>
    public static string RoutePrefix()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(RepoPaths.Combine("host.json")));
        return host.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString() ?? string.Empty
            : "api";
    }

    private static FunctionDefinition Parse(string name, string json)
    {
        using var document = JsonDocument.Parse(json);
        var triggers = document.RootElement.GetProperty("bindings").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (triggers.Count != 1)
        {
            throw new InvalidOperationException($"functions/{name}/function.json has {triggers.Count} trigger bindings; the host needs exactly one.");
        }

        var trigger = triggers[0];
        var methods = trigger.TryGetProperty("methods", out var list)
            ? list.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToList()
            : [];
        return new FunctionDefinition(
            name,
            trigger.GetProperty("type").GetString()!,
            trigger.TryGetProperty("route", out var route) ? route.GetString() : null,
            methods);
    }
}
