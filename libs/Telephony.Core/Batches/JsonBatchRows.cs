using System.Runtime.CompilerServices;
using System.Text.Json;
using Telephony.Core.Parameters;

namespace Telephony.Core.Batches;

/// <summary>
/// The rows of a JSON batch body: a top-level array of objects keyed by Calls.json parameter names.
/// Values are strings, numbers or booleans (or an array of strings for repeatable parameters). The
/// array is read element by element, never whole; a body that stops being JSON ends the reading with an error row.
/// </summary>
public static class JsonBatchRows
{
    private const int MaxProperties = 32;

    public static async IAsyncEnumerable<BatchRow> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var row = 0;
        var elements = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                JsonElement element;
                string? failure = null;
                try
                {
                    if (!await elements.MoveNextAsync())
                    {
                        yield break;
                    }

                    element = elements.Current;
                }
                catch (JsonException e)
                {
                    element = default;
                    failure = "The body is not a JSON array of objects: " + e.Message + " The rest of the body was not read.";
                }

                row++;
                if (failure is not null)
                {
                    yield return new BatchRow(row, null, null, failure);
                    yield break;
                }

                yield return ToRow(row, element);
            }
        }
        finally
        {
            await elements.DisposeAsync();
        }
    }

    private static BatchRow ToRow(int row, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new BatchRow(row, null, null, "A row must be a JSON object of call parameters.");
        }

        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (values.Count == MaxProperties)
            {
                return new BatchRow(row, null, null, $"A row may have at most {MaxProperties} parameters.");
            }

            if (BatchColumns.Refusal(property.Name) is { } refusal)
            {
                return new BatchRow(row, null, null, refusal);
            }

            var list = new List<string>();
            var items = property.Value.ValueKind == JsonValueKind.Array ? property.Value.EnumerateArray().ToList() : [property.Value];
            foreach (var item in items)
            {
                if (Scalar(item) is not { } text)
                {
                    return new BatchRow(row, null, null, $"Parameter '{property.Name}' must be a string, number or boolean.");
                }

                if (text.Length > BatchColumns.MaxFieldLength)
                {
                    return new BatchRow(row, null, null, $"Parameter '{property.Name}' is longer than {BatchColumns.MaxFieldLength} characters.");
                }

                list.Add(text);
            }

            if (property.Value.ValueKind != JsonValueKind.Null)
            {
                values[property.Name] = list;
            }
        }

        return new BatchRow(row, null, new RequestParameters(values));
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => string.Empty,
        _ => null,
    };
}
