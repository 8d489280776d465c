using System.Text;

namespace Telephony.Twiml.Parsing;

/// <summary>A read element: name, attributes and mixed content (text runs and child elements, in order).</summary>
internal sealed class TwimlElement(string name)
{
    public string Name { get; } = name;

    private List<KeyValuePair<string, string>>? _attributes;
    private List<object>? _content;

    /// <summary>Attributes in document order (allocated on the first one: many elements have none).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes => _attributes ?? (IReadOnlyList<KeyValuePair<string, string>>)[];

    /// <summary>Text runs (string) and child elements (TwimlElement) in document order.</summary>
    public IReadOnlyList<object> Content => _content ?? (IReadOnlyList<object>)[];

    public IEnumerable<TwimlElement> Children
    {
        get
        {
            foreach (var item in Content)
            {
                if (item is TwimlElement child)
                {
                    yield return child;
                }
            }
        }
    }

    public bool HasChildElements => Children.Any();

    public void AddAttribute(string name, string value) => (_attributes ??= new(4)).Add(new(name, value));

    public void AddContent(object item) => (_content ??= new(2)).Add(item);

    /// <summary>The element's own text runs, trimmed.</summary>
    public string Text
    {
        get
        {
            if (Content.Count == 1 && Content[0] is string only)
            {
                return only.Trim();
            }

            var text = new StringBuilder();
            foreach (var item in Content)
            {
                if (item is string run)
                {
                    text.Append(run);
                }
            }

            return text.ToString().Trim();
        }
    }

    public string? Attribute(string name)
    {
        foreach (var (key, value) in Attributes)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The inner content re-serialized as markup (SSML inside Say).</summary>
    public string InnerMarkup()
    {
        var markup = new StringBuilder();
        foreach (var item in Content)
        {
            if (item is string run)
            {
                markup.Append(System.Security.SecurityElement.Escape(run));
            }
            else
            {
                ((TwimlElement)item).AppendMarkup(markup);
            }
        }

        return markup.ToString().Trim();
    }

    private void AppendMarkup(StringBuilder markup)
    {
        markup.Append('<').Append(Name);
        foreach (var (key, value) in Attributes)
        {
            markup.Append(' ').Append(key).Append("=\"").Append(System.Security.SecurityElement.Escape(value)).Append('"');
        }

        if (Content.Count == 0)
        {
            markup.Append("/>");
            return;
        }

        markup.Append('>').Append(InnerMarkup()).Append("</").Append(Name).Append('>');
    }
}
