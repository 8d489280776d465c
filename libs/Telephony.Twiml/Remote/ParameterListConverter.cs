using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telephony.Twiml.Remote;

/// <summary>Reads parameters as <c>[[name, value], …]</c> or <c>{name: value}</c>; writes the array form.</summary>
public sealed class ParameterListConverter : JsonConverter<IReadOnlyList<KeyValuePair<string, string>>>
{
    public override IReadOnlyList<KeyValuePair<string, string>> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var list = new List<KeyValuePair<string, string>>();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return list;
            case JsonTokenType.StartObject:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    list.Add(new(name, ReadValue(ref reader)));
                }

                return list;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw new JsonException("each parameter is a [name, value] pair");
                    }

                    reader.Read();
                    var name = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("a parameter name is a string");
                    reader.Read();
                    var value = ReadValue(ref reader);
                    if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
                    {
                        throw new JsonException("each parameter is a [name, value] pair");
                    }

                    list.Add(new(name, value));
                }

                return list;
            default:
                throw new JsonException("parameters are [[name, value], …] or {name: value}");
        }
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<KeyValuePair<string, string>> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var (name, text) in value)
        {
            writer.WriteStartArray();
            writer.WriteStringValue(name);
            writer.WriteStringValue(text);
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }

    private static string ReadValue(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Null => string.Empty,
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw new JsonException("a parameter value is a string"),
    };
}
