namespace Telephony.Twiml.Model;

/// <summary>A parsed &lt;Response&gt;: the verbs in document order and any non-fatal schema warnings.</summary>
public sealed record TwimlProgram(IReadOnlyList<TwimlVerb> Verbs, IReadOnlyList<TwimlNotification> Warnings)
{
    public static TwimlProgram Empty { get; } = new([], []);
}
