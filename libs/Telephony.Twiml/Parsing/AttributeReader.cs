using System.Globalization;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Parsing;

/// <summary>Reads one element's attributes: typed, range-checked, defaulted. Bad values become warnings, not failures.</summary>
internal readonly struct AttributeReader(TwimlElement element, List<TwimlNotification> warnings)
{
    public string? String(string name)
    {
        var value = element.Attribute(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public string String(string name, string defaultValue) => String(name) ?? defaultValue;

    public int Int(string name, int defaultValue, int min, int max) => NullableInt(name, min, max) ?? defaultValue;

    public int? NullableInt(string name, int min, int max)
    {
        var raw = String(name);
        if (raw is null)
        {
            return null;
        }

        if (int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Warn(name, raw, $"an integer from {min} to {max}");
        return null;
    }

    public bool Bool(string name, bool defaultValue)
    {
        var raw = String(name);
        if (raw is null)
        {
            return defaultValue;
        }

        if (bool.TryParse(raw.Trim(), out var value))
        {
            return value;
        }

        Warn(name, raw, "true or false");
        return defaultValue;
    }

    /// <summary>HTTP method attribute: GET or POST (case-insensitive), else POST with a warning.</summary>
    public string Method(string name = "method")
    {
        var raw = String(name);
        if (raw is null)
        {
            return "POST";
        }

        if (raw.Equals("GET", StringComparison.OrdinalIgnoreCase))
        {
            return "GET";
        }

        if (!raw.Equals("POST", StringComparison.OrdinalIgnoreCase))
        {
            Warn(name, raw, "GET or POST");
        }

        return "POST";
    }

    public string OneOf(string name, string defaultValue, params string[] allowed)
    {
        var raw = String(name);
        if (raw is null)
        {
            return defaultValue;
        }

        foreach (var candidate in allowed)
        {
            if (candidate.Equals(raw, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }
        }

        Warn(name, raw, "one of " + string.Join(", ", allowed));
        return defaultValue;
    }

    public IReadOnlyDictionary<string, string> All()
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in element.Attributes)
        {
            all[key] = value;
        }

        return all;
    }

    private void Warn(string name, string raw, string expected) => warnings.Add(new(
        TwimlErrorCodes.SchemaValidationWarning,
        $"<{element.Name}> attribute {name}=\"{raw}\" is invalid (expected {expected}); the default is used"));
}
