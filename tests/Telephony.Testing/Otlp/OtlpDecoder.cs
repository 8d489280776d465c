using System.Globalization;

namespace Telephony.Testing.Otlp;

/// <summary>Reads OTLP/HTTP protobuf export requests (opentelemetry-proto trace and metrics services): spans and metric names.</summary>
public static class OtlpDecoder
{
    /// <summary>ExportTraceServiceRequest → resource_spans(1) → scope_spans(2) → spans(2).</summary>
    public static List<ExportedSpan> Spans(ReadOnlySpan<byte> request)
    {
        var spans = new List<ExportedSpan>();
        var reader = new ProtobufReader(request);
        while (reader.Next())
        {
            if (reader.Field == 1)
            {
                ReadResourceSpans(reader.Bytes(), spans);
            }
            else
            {
                reader.Skip();
            }
        }

        return spans;
    }

    /// <summary>ExportMetricsServiceRequest → resource_metrics(1) → scope_metrics(2) → metrics(2) → name(1).</summary>
    public static List<string> MetricNames(ReadOnlySpan<byte> request)
    {
        var names = new List<string>();
        foreach (var resource in Children(request, 1))
        {
            foreach (var scope in Children(resource, 2))
            {
                foreach (var metric in Children(scope, 2))
                {
                    var reader = new ProtobufReader(metric);
                    while (reader.Next())
                    {
                        if (reader.Field == 1)
                        {
                            names.Add(reader.String());
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
            }
        }

        return names;
    }

    private static void ReadResourceSpans(ReadOnlySpan<byte> data, List<ExportedSpan> spans)
    {
        var service = string.Empty;
        var scopes = new List<byte[]>();
        var reader = new ProtobufReader(data);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1:
                    service = Attributes(Children(reader.Bytes(), 1)).GetValueOrDefault("service.name", string.Empty);
                    break;
                case 2:
                    scopes.Add(reader.Bytes().ToArray());
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        foreach (var scope in scopes)
        {
            var scopeName = string.Empty;
            var scopeReader = new ProtobufReader(scope);
            var spanData = new List<byte[]>();
            while (scopeReader.Next())
            {
                switch (scopeReader.Field)
                {
                    case 1:
                        scopeName = FirstString(scopeReader.Bytes(), 1);
                        break;
                    case 2:
                        spanData.Add(scopeReader.Bytes().ToArray());
                        break;
                    default:
                        scopeReader.Skip();
                        break;
                }
            }

            spans.AddRange(spanData.Select(span => ReadSpan(span, service, scopeName)));
        }
    }

    private static ExportedSpan ReadSpan(ReadOnlySpan<byte> data, string service, string scope)
    {
        string traceId = string.Empty, spanId = string.Empty, parent = string.Empty, name = string.Empty;
        var kind = 0;
        var attributes = new List<byte[]>();
        var links = new List<(string, string)>();
        var reader = new ProtobufReader(data);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: traceId = Convert.ToHexStringLower(reader.Bytes()); break;
                case 2: spanId = Convert.ToHexStringLower(reader.Bytes()); break;
                case 4: parent = Convert.ToHexStringLower(reader.Bytes()); break;
                case 5: name = reader.String(); break;
                case 6: kind = (int)reader.Varint(); break;
                case 9: attributes.Add(reader.Bytes().ToArray()); break;
                case 13: links.Add(ReadLink(reader.Bytes())); break;
                default: reader.Skip(); break;
            }
        }

        return new ExportedSpan(service, scope, traceId, spanId, parent, name, kind, Attributes(attributes), links);
    }

    private static (string TraceId, string SpanId) ReadLink(ReadOnlySpan<byte> data)
    {
        string traceId = string.Empty, spanId = string.Empty;
        var reader = new ProtobufReader(data);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: traceId = Convert.ToHexStringLower(reader.Bytes()); break;
                case 2: spanId = Convert.ToHexStringLower(reader.Bytes()); break;
                default: reader.Skip(); break;
            }
        }

        return (traceId, spanId);
    }

    /// <summary>KeyValue { key = 1; AnyValue value = 2 { string 1, bool 2, int 3, double 4 } }, as text.</summary>
    private static Dictionary<string, string> Attributes(IEnumerable<byte[]> keyValues)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyValue in keyValues)
        {
            string key = string.Empty, value = string.Empty;
            var reader = new ProtobufReader(keyValue);
            while (reader.Next())
            {
                if (reader.Field == 1)
                {
                    key = reader.String();
                }
                else if (reader.Field == 2)
                {
                    value = AnyValue(reader.Bytes());
                }
                else
                {
                    reader.Skip();
                }
            }

            result[key] = value;
        }

        return result;
    }

    private static string AnyValue(ReadOnlySpan<byte> data)
    {
        var reader = new ProtobufReader(data);
        while (reader.Next())
        {
            switch (reader.Field)
            {
                case 1: return reader.String();
                case 2: return reader.Varint() != 0 ? "true" : "false";
                case 3: return ((long)reader.Varint()).ToString(CultureInfo.InvariantCulture);
                default: reader.Skip(); break;
            }
        }

        return string.Empty;
    }

    private static string FirstString(ReadOnlySpan<byte> data, int field)
    {
        var reader = new ProtobufReader(data);
        while (reader.Next())
        {
            if (reader.Field == field)
            {
                return reader.String();
            }

            reader.Skip();
        }

        return string.Empty;
    }

    private static List<byte[]> Children(ReadOnlySpan<byte> data, int field)
    {
        var children = new List<byte[]>();
        var reader = new ProtobufReader(data);
        while (reader.Next())
        {
            if (reader.Field == field)
            {
                children.Add(reader.Bytes().ToArray());
            }
            else
            {
                reader.Skip();
            }
        }

        return children;
    }
}
