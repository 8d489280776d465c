namespace Telephony.Twiml.Model;

/// <summary>
/// A noun kept as written (name, attributes, text, children): used for the nouns of verbs this platform does not
/// run yet (Connect, Start, Stop, Pay…), so nothing the application sent is lost.
/// </summary>
public sealed record TwimlNoun(
    string Name,
    IReadOnlyDictionary<string, string> Attributes,
    string Text,
    IReadOnlyList<TwimlNoun> Children)
{
    public string? Attribute(string name) => Attributes.TryGetValue(name, out var value) ? value : null;
}
