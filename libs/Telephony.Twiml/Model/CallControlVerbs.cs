namespace Telephony.Twiml.Model;

public sealed record Hangup : TwimlVerb
{
    public override string Name => "Hangup";
}

/// <summary>&lt;Reject&gt;: refuse an incoming call before answering; reason "rejected" or "busy".</summary>
public sealed record Reject : TwimlVerb
{
    public override string Name => "Reject";

    public string Reason { get; init; } = "rejected";
}

/// <summary>&lt;Redirect&gt;: continue with the TwiML at another URL.</summary>
public sealed record Redirect : TwimlVerb
{
    public override string Name => "Redirect";

    public string Url { get; init; } = string.Empty;

    public string Method { get; init; } = "POST";
}

/// <summary>&lt;Leave&gt;: leave the queue the call waits in (only meaningful in a waitUrl document).</summary>
public sealed record Leave : TwimlVerb
{
    public override string Name => "Leave";
}
