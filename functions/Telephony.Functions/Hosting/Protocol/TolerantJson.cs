using System.Globalization;
using System.Text.Json;

namespace Telephony.Functions.Hosting.Protocol;

/// <summary>
/// Reads values the way the Functions host writes them: it JSON-serializes each binding value, so a
/// string arrives wrapped in an extra pair of quotes (<c>"\"abc\""</c>), a number as a string
/// (<c>"1"</c>), and an object either as an object or as a string holding JSON. Plain values are accepted too.
/// </summary>
internal static class TolerantJson
{
    /// <summary>The text of a string value, with one layer of JSON quoting removed when present.</summary>
    public static string? ReadString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Unquote(value.GetString()!),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Object or JsonValueKind.Array => value.GetRawText(),
        _ => value.GetRawText(),
    };

    public static long? ReadInt64(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number;
        }

        var text = ReadString(value);
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    public static DateTimeOffset? ReadDateTimeOffset(JsonElement value)
    {
        var text = ReadString(value);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
    }

    public static bool? ReadBoolean(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => bool.TryParse(ReadString(value), out var parsed) ? parsed : null,
    };

    /// <summary>An object value, or a string holding a JSON object; null otherwise.</summary>
    public static JsonElement? ReadObject(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }

        var text = value.ValueKind == JsonValueKind.String ? ReadString(value) : null;
        if (text is null || !text.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Unquote(string text)
    {
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            try
            {
                return JsonSerializer.Deserialize<string>(text) ?? text;
            }
            catch (JsonException)
            {
                return text;
            }
        }

        return text;
    }
}
