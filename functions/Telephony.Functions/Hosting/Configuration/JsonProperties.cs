using System.Globalization;
using System.Text.Json;

namespace Telephony.Functions.Hosting.Configuration;

/// <summary>Case-insensitive property access: host.json and function.json keys are case-insensitive for the Functions host.</summary>
internal static class JsonProperties
{
    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static bool TryGet(this JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = property.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }

    public static string? GetString(this JsonElement element, string name) =>
        element.TryGet(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool? GetBoolean(this JsonElement element, string name) =>
        element.TryGet(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
            _ => throw new FormatException($"'{name}' must be true or false"),
        } : null;

    public static int? GetInt32(this JsonElement element, string name) =>
        element.TryGet(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var number) => number,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw new FormatException($"'{name}' must be an integer"),
        } : null;

    public static TimeSpan? GetTimeSpan(this JsonElement element, string name)
    {
        var text = element.GetString(name);
        if (text is null)
        {
            return element.TryGet(name, out _) ? throw new FormatException($"'{name}' must be a time span string like \"00:00:30\"") : null;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
            ? span
            : throw new FormatException($"'{name}' value '{text}' is not a time span like \"00:00:30\"");
    }
}
