using System.Text.Json;

namespace Telephony.Deployment.Tests.Bicep;

/// <summary>One resource of a compiled ARM template, found at any module depth.</summary>
public sealed record TemplateResource(string SymbolicName, string Type, JsonElement Definition)
{
    public JsonElement Properties => Definition.TryGetProperty("properties", out var properties) ? properties : default;
}

/// <summary>The ARM JSON bicep compiles main.bicep to, with module templates flattened for inspection.</summary>
public sealed class CompiledTemplate
{
    private const string DeploymentType = "Microsoft.Resources/deployments";

    private CompiledTemplate(string json, JsonElement root)
    {
        Json = json;
        Root = root;
        Resources = Flatten(root).ToList();
    }

    public string Json { get; }

    public JsonElement Root { get; }

    public IReadOnlyList<TemplateResource> Resources { get; }

    public static CompiledTemplate Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new CompiledTemplate(json, document.RootElement.Clone());
    }

    public IReadOnlyList<TemplateResource> OfType(string type) =>
        Resources.Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();

    public TemplateResource Single(string type)
    {
        var matches = OfType(type);
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"expected one {type} resource, found {matches.Count}");
    }

    /// <summary>The value a module received for a parameter (literal or ARM expression).</summary>
    public JsonElement ModuleParameter(string moduleSymbolicName, string parameter) =>
        Resources.First(r => r.SymbolicName == moduleSymbolicName && r.Type == DeploymentType)
            .Properties.GetProperty("parameters").GetProperty(parameter).GetProperty("value");

    // languageVersion 2.0 templates keep resources in an object keyed by symbolic name; 1.0 in an array.
    private static IEnumerable<TemplateResource> Flatten(JsonElement template)
    {
        if (!template.TryGetProperty("resources", out var resources))
        {
            yield break;
        }

        var entries = resources.ValueKind == JsonValueKind.Object
            ? resources.EnumerateObject().Select(p => (Name: p.Name, Value: p.Value))
            : resources.EnumerateArray().Select(v => (Name: v.TryGetProperty("name", out var n) ? n.ToString() : string.Empty, Value: v));
        foreach (var (name, value) in entries)
        {
            var type = value.GetProperty("type").GetString()!;
            yield return new TemplateResource(name, type, value);
            if (type == DeploymentType
                && value.TryGetProperty("properties", out var properties)
                && properties.TryGetProperty("template", out var nested))
            {
                foreach (var inner in Flatten(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
