using System.Diagnostics;

namespace Telephony.Core.Diagnostics;

/// <summary>
/// W3C trace context carried in queue messages: the writer stores the current span's traceparent, the reader
/// continues the trace from it. A missing or malformed value starts a new trace instead of failing the message.
/// </summary>
public static class TraceParent
{
    /// <summary>
    /// The current span's traceparent, or null when nothing records it (ASP.NET Core keeps an unrecorded
    /// request activity for log correlation even without tracing; passing that on would leave the next hop
    /// a parent nobody exported).
    /// </summary>
    public static string? Current() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Recorded: true } current ? current.Id : null;

    /// <summary>The context a message's traceparent names; default (no parent) when absent or malformed.</summary>
    public static ActivityContext Parse(string? traceParent) =>
        ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    /// <summary>Starts a span that continues the trace a message carries (or a new one when it carries none).</summary>
    /// <remarks>The span that delivered the message (a Functions invocation) is kept as a link.</remarks>
    public static Activity? StartFrom(this ActivitySource source, string name, ActivityKind kind, string? traceParent)
    {
        ArgumentNullException.ThrowIfNull(source);
        var parent = Parse(traceParent);
        if (parent == default || Activity.Current is not { } delivering)
        {
            return source.StartActivity(name, kind, parent);
        }

        return source.StartActivity(name, kind, parent, links: [new ActivityLink(delivering.Context)]);
    }
}
