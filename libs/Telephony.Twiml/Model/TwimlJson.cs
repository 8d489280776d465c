using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telephony.Twiml.Model;

/// <summary>JSON for programs crossing process boundaries (instructions function → media node).</summary>
public static class TwimlJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(TwimlProgram program) => JsonSerializer.Serialize(program, Options);

    public static TwimlProgram? Deserialize(string json) => JsonSerializer.Deserialize<TwimlProgram>(json, Options);
}
