using Telephony.Core.Diagnostics;
using Telephony.Sip.Diagnostics;
using Telephony.Testing.Otlp;

namespace Telephony.MediaNode.Tests;

/// <summary>
/// One call followed across every hop by its OpenTelemetry trace, as the programs' real OTLP exporters send it:
/// API request → call-requests → admit-calls → dispatch → the node's call (SIP setup, instruction fetch through the
/// functions' instructions endpoint, prompt fetches) → deliver-callbacks for the final status callback.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CallTracingTests(PlatformFixture platform)
{
    private const int ServerKind = 2;
    private const int ClientKind = 3;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task One_call_is_one_trace_from_the_api_request_to_the_final_status_callback()
    {
        const string number = "+15550000071";
        platform.App.Serve("/voice/traced", $"""
            <Response>
              <Say>Traced.</Say>
              <Play>{platform.App.Url("/tone.wav")}</Play>
              <Hangup/>
            </Response>
            """);
        platform.App.Serve("/status/traced", "<Response/>");
        var arrived = platform.FarEnd.CallTo(number);

        var sid = await platform.CreateCallAsync(number, "/voice/traced", ("StatusCallback", platform.App.Url("/status/traced")));
        var far = await arrived.WaitAsync(Timeout);
        await far.Call.Completion.WaitAsync(Timeout);
        await platform.WaitForStatusAsync(sid, Timeout, "completed");

        // The call span names the call; its trace must grow to the delivered "completed" callback with every parent exported.
        var all = await platform.Telemetry.WaitForSpansAsync(
            spans => TraceOf(spans, sid) is { } trace
                && trace.Any(s => s.Name == "deliver-callbacks" && s["telephony.callback.event"] == "completed")
                && trace.All(s => s.ParentSpanId.Length == 0 || trace.Any(p => p.SpanId == s.ParentSpanId)),
            Timeout,
            $"the whole trace of {sid}");
        var trace = TraceOf(all, sid)!;

        // Exactly one root, and every other span's parent is in the same trace: one connected tree.
        Assert.Single(trace, s => s.ParentSpanId.Length == 0);

        var api = Assert.Single(trace, s => s.Service == "telephony-functions" && s.Kind == ServerKind && s.Name.StartsWith("POST ", StringComparison.Ordinal) && s.Name.Contains("Calls", StringComparison.Ordinal));
        var admit = Assert.Single(trace, s => s.Name == "admit-calls");
        Assert.Equal(api.SpanId, admit.ParentSpanId);
        Assert.NotEmpty(admit.Links); // the Functions invocation that delivered the message

        var dispatch = Assert.Single(trace, s => s.Name == "dispatch");
        Assert.Equal(admit.SpanId, dispatch.ParentSpanId);
        Assert.Equal("telephony-media-node", dispatch.Service);

        var call = Assert.Single(trace, s => s.Name == "call");
        Assert.Equal(dispatch.SpanId, call.ParentSpanId);
        Assert.Equal(platform.AccountSid, call[TelephonyTelemetry.AccountSidTag]);
        Assert.Equal("completed", call["telephony.call_status"]);

        var setup = Assert.Single(trace, s => s.Name == "sip.setup");
        Assert.Equal(call.SpanId, setup.ParentSpanId);

        // The node's instruction fetch calls the functions' instructions endpoint, which fetches the tenant's Url.
        var fetch = Assert.Single(trace, s => s.Name == "instructions.fetch");
        Assert.Equal(call.SpanId, fetch.ParentSpanId);
        var nodeRequest = Assert.Single(trace, s => s.ParentSpanId == fetch.SpanId && s.Kind == ClientKind);
        var instructions = Assert.Single(trace, s => s.ParentSpanId == nodeRequest.SpanId);
        Assert.Equal(("telephony-functions", ServerKind), (instructions.Service, instructions.Kind));
        Assert.Contains(trace, s => s.ParentSpanId == instructions.SpanId && s.Kind == ClientKind && s["url.full"]?.Contains("/voice/traced", StringComparison.Ordinal) == true);

        var prompts = trace.Where(s => s.Name == "prompt.fetch").ToList();
        Assert.Equal(2, prompts.Count); // Say and Play
        Assert.All(prompts, p => Assert.Equal(call.SpanId, p.ParentSpanId));

        // The final status callback is delivered in the call's trace, under the span that wrote the status. A look that
        // found its event not yet committed (the message is queued just before the commit) put it back: that span is
        // in the trace too, under the same parent, without a request to the tenant.
        var looks = trace.Where(s => s.Name == "deliver-callbacks" && s["telephony.callback.event"] == "completed").ToList();
        Assert.All(looks, look => Assert.Equal((call.SpanId, "telephony-functions"), (look.ParentSpanId, look.Service)));
        Assert.Single(looks, look => trace.Any(s => s.ParentSpanId == look.SpanId && s.Kind == ClientKind && s["url.full"]?.Contains("/status/traced", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task Calls_by_status_queue_wait_node_load_fetch_latency_and_pacing_lateness_are_exported()
    {
        const string number = "+15550000072";
        platform.App.Serve("/voice/metered", $"<Response><Play>{platform.App.Url("/tone.wav")}</Play></Response>");
        var arrived = platform.FarEnd.CallTo(number);

        var sid = await platform.CreateCallAsync(number, "/voice/metered");
        var far = await arrived.WaitAsync(Timeout);
        await far.Call.Completion.WaitAsync(Timeout);
        await platform.WaitForStatusAsync(sid, Timeout, "completed");

        await platform.Telemetry.WaitForMetricsAsync(
            [
                "telephony.calls.status_changes",
                "telephony.calls.queue_wait",
                "telephony.node.active_calls",
                "telephony.instructions.fetch.duration",
                "telephony.prompts.fetch.duration",
                "telephony.rtp.pacing.lateness",
            ],
            Timeout);
    }

    [Fact]
    public void The_platform_subscribes_to_the_sip_area_under_the_name_telephony_sip_uses()
    {
        Assert.Equal(SipTelemetry.Area, TelephonyTelemetry.SipArea);
        Assert.Contains(SipTelemetry.Area, TelephonyTelemetry.Areas);
    }

    /// <summary>The spans of the trace whose node "call" span names <paramref name="callSid"/>.</summary>
    private static List<ExportedSpan>? TraceOf(IReadOnlyList<ExportedSpan> spans, string callSid) =>
        spans.FirstOrDefault(s => s.Name == "call" && s[TelephonyTelemetry.CallSidTag] == callSid) is { } call
            ? [.. spans.Where(s => s.TraceId == call.TraceId)]
            : null;
}
