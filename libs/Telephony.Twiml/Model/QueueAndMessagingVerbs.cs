namespace Telephony.Twiml.Model;

/// <summary>&lt;Enqueue&gt;: put the caller in a named queue (or a TaskRouter workflow with a &lt;Task&gt;).</summary>
public sealed record Enqueue : TwimlVerb, IHasAction
{
    public override string Name => "Enqueue";

    public string QueueName { get; init; } = string.Empty;

    public string? Action { get; init; }

    public string Method { get; init; } = "POST";

    public string? WaitUrl { get; init; }

    public string WaitUrlMethod { get; init; } = "POST";

    public int? MaxQueueSize { get; init; }

    public string? WorkflowSid { get; init; }

    /// <summary>The &lt;Task&gt; JSON, when present.</summary>
    public string? Task { get; init; }

    public int? TaskPriority { get; init; }

    public int? TaskTimeout { get; init; }
}

/// <summary>&lt;Refer&gt;: SIP REFER the call elsewhere.</summary>
public sealed record Refer : TwimlVerb, IHasAction
{
    public override string Name => "Refer";

    public string? Action { get; init; }

    public string Method { get; init; } = "POST";

    public string SipUri { get; init; } = string.Empty;
}

/// <summary>&lt;Sms&gt; (legacy) or &lt;Message&gt; inside a voice response: send a text during the call.</summary>
public sealed record Sms : TwimlVerb, IHasAction
{
    public Sms(string elementName = "Sms") => ElementName = elementName;

    public string ElementName { get; }

    public override string Name => ElementName;

    public string Body { get; init; } = string.Empty;

    public string? To { get; init; }

    public string? From { get; init; }

    public string? Action { get; init; }

    public string Method { get; init; } = "POST";

    public string? StatusCallback { get; init; }
}
