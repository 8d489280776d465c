namespace Telephony.Testing.Otlp;

/// <summary>One span as an OTLP exporter sent it (ids in lowercase hex; an empty parent for a root span).</summary>
public sealed record ExportedSpan(
    string Service,
    string Scope,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<(string TraceId, string SpanId)> Links)
{
    public string? this[string attribute] => Attributes.GetValueOrDefault(attribute);
}
