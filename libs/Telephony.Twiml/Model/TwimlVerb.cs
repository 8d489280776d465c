namespace Telephony.Twiml.Model;

/// <summary>One TwiML voice verb, with its attributes already validated and defaulted the way Twilio does.</summary>
public abstract record TwimlVerb
{
    /// <summary>The element name as it appears in TwiML (Say, Play, Dial…).</summary>
    public abstract string Name { get; }
}

/// <summary>A verb that may be nested inside &lt;Gather&gt; as a prompt.</summary>
public interface IGatherPrompt;

/// <summary>A verb whose outcome is posted to an <c>action</c> URL; verbs after it run only when it falls through.</summary>
public interface IHasAction
{
    string? Action { get; }

    string Method { get; }
}
