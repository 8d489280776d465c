using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Telephony.Core.Diagnostics;

/// <summary>
/// The one list of the platform's ActivitySource and Meter names, one per area, and their instruments. Libraries
/// only create spans and record measurements (System.Diagnostics); the programs decide what is exported.
/// Telephony.Sip depends on nothing of ours, so it owns its own source (SipTelemetry) under <see cref="SipArea"/>.
/// </summary>
public static class TelephonyTelemetry
{
    /// <summary>Call records, admission and callbacks (API and queue functions).</summary>
    public const string CallsArea = "Telephony.Calls";

    /// <summary>Instruction fetching and the call-program interpreter.</summary>
    public const string TwimlArea = "Telephony.Twiml";

    /// <summary>Media nodes: dispatch, one span per call, SIP setup, prompt fetches, node load.</summary>
    public const string NodeArea = "Telephony.MediaNode";

    /// <summary>SIP and RTP (RTP pacing lateness); defined in Telephony.Sip as SipTelemetry.Area.</summary>
    public const string SipArea = "Telephony.Sip";

    /// <summary>The span attribute that names a call on every call-related span.</summary>
    public const string CallSidTag = "telephony.call_sid";

    public const string AccountSidTag = "telephony.account_sid";

    /// <summary>Every area: what the programs subscribe to for traces and metrics.</summary>
    public static IReadOnlyList<string> Areas { get; } = [CallsArea, TwimlArea, NodeArea, SipArea];

    public static readonly ActivitySource Calls = new(CallsArea);

    public static readonly ActivitySource Twiml = new(TwimlArea);

    public static readonly ActivitySource Node = new(NodeArea);

    private static readonly Meter CallsMeter = new(CallsArea);

    private static readonly Meter TwimlMeter = new(TwimlArea);

    private static readonly Meter NodeMeter = new(NodeArea);

    /// <summary>Status changes written to call records, tagged with the new status (queued when created).</summary>
    public static readonly Counter<long> CallStatusChanges = CallsMeter.CreateCounter<long>(
        "telephony.calls.status_changes", "{call}", "Calls that reached a status, by status");

    /// <summary>From call creation to a node claiming it.</summary>
    public static readonly Histogram<double> QueueWait = NodeMeter.CreateHistogram<double>(
        "telephony.calls.queue_wait", "s", "Time from call creation until a media node takes it");

    /// <summary>Slots a node has taken (calls running or being set up).</summary>
    public static readonly UpDownCounter<long> NodeActiveCalls = NodeMeter.CreateUpDownCounter<long>(
        "telephony.node.active_calls", "{call}", "Calls running or being set up on media nodes");

    public static readonly Histogram<double> InstructionFetchDuration = TwimlMeter.CreateHistogram<double>(
        "telephony.instructions.fetch.duration", "ms", "Time to fetch and parse a call program");

    public static readonly Histogram<double> PromptFetchDuration = NodeMeter.CreateHistogram<double>(
        "telephony.prompts.fetch.duration", "ms", "Time to get a prompt's telephony audio from the media layer");

    /// <summary>Tags a call span with the call's sids.</summary>
    public static Activity? TagCall(this Activity? activity, string callSid, string accountSid) =>
        activity?.SetTag(CallSidTag, callSid).SetTag(AccountSidTag, accountSid);
}
