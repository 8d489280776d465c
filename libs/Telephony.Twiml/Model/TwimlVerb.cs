using System.Text.Json.Serialization;

namespace Telephony.Twiml.Model;

/// <summary>One TwiML voice verb, with its attributes already validated and defaulted the way Twilio does.</summary>
/// <remarks>Serializes to JSON with a "verb" discriminator, so the instructions function can hand programs to media nodes.</remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "verb")]
[JsonDerivedType(typeof(Say), "Say")]
[JsonDerivedType(typeof(Play), "Play")]
[JsonDerivedType(typeof(Pause), "Pause")]
[JsonDerivedType(typeof(Gather), "Gather")]
[JsonDerivedType(typeof(Record), "Record")]
[JsonDerivedType(typeof(Dial), "Dial")]
[JsonDerivedType(typeof(Hangup), "Hangup")]
[JsonDerivedType(typeof(Reject), "Reject")]
[JsonDerivedType(typeof(Redirect), "Redirect")]
[JsonDerivedType(typeof(Leave), "Leave")]
[JsonDerivedType(typeof(Enqueue), "Enqueue")]
[JsonDerivedType(typeof(Refer), "Refer")]
[JsonDerivedType(typeof(Sms), "Sms")]
[JsonDerivedType(typeof(Connect), "Connect")]
[JsonDerivedType(typeof(Start), "Start")]
[JsonDerivedType(typeof(Stop), "Stop")]
[JsonDerivedType(typeof(Pay), "Pay")]
public abstract record TwimlVerb
{
    /// <summary>The element name as it appears in TwiML (Say, Play, Dial…).</summary>
    [JsonIgnore]
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
