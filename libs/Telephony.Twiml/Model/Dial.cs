namespace Telephony.Twiml.Model;

/// <summary>&lt;Dial&gt;: connect the caller to one or more targets (in parallel, or in order when sequential).</summary>
public sealed record Dial : TwimlVerb, IHasAction
{
    public override string Name => "Dial";

    /// <summary>Null: after the dialed call ends, continue with the next verb.</summary>
    public string? Action { get; init; }

    public string Method { get; init; } = "POST";

    public int Timeout { get; init; } = 30;

    public string? CallerId { get; init; }

    /// <summary>"do-not-record", "record-from-answer", "record-from-ringing", and the -dual variants.</summary>
    public string Record { get; init; } = "do-not-record";

    public string Trim { get; init; } = "do-not-trim";

    public bool HangupOnStar { get; init; }

    /// <summary>Maximum seconds the bridged call may last.</summary>
    public int TimeLimit { get; init; } = 14400;

    public bool AnswerOnBridge { get; init; }

    public string? RingTone { get; init; }

    public bool Sequential { get; init; }

    public string? RecordingStatusCallback { get; init; }

    public string RecordingStatusCallbackMethod { get; init; } = "POST";

    public string RecordingStatusCallbackEvent { get; init; } = "completed";

    public string? ReferUrl { get; init; }

    public string ReferMethod { get; init; } = "POST";

    public IReadOnlyList<DialTarget> Targets { get; init; } = [];
}
