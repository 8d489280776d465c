using System.Xml;

namespace Telephony.Twiml.Parsing;

/// <summary>
/// Reads untrusted TwiML into <see cref="TwimlElement"/>s with a hardened XmlReader: no DTDs, no external
/// resolution, no entity expansion, bounded size, depth and element count.
/// </summary>
internal static class TwimlDocumentReader
{
    public const int MaxDocumentBytes = 64 * 1024;
    public const int MaxDepth = 16;
    public const int MaxElements = 4096;

    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        MaxCharactersInDocument = MaxDocumentBytes * 2,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    /// <summary>Reads the root element; throws <see cref="TwimlSyntaxException"/> on anything malformed or over limits.</summary>
    public static TwimlElement Read(Stream document)
    {
        try
        {
            using var reader = XmlReader.Create(document, Settings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element)
            {
                throw new TwimlSyntaxException("the document has no root element");
            }

            var elementCount = 0;
            var root = ReadElement(reader, 1, keepWhitespace: false, ref elementCount);
            while (reader.Read())
            {
                // Trailing content after the root must still be well formed; XmlReader checks it while reading.
            }

            return root;
        }
        catch (XmlException ex)
        {
            throw new TwimlSyntaxException(ex.Message);
        }
    }

    private static TwimlElement ReadElement(XmlReader reader, int depth, bool keepWhitespace, ref int elementCount)
    {
        if (depth > MaxDepth)
        {
            throw new TwimlSyntaxException($"elements are nested deeper than {MaxDepth} levels");
        }

        if (++elementCount > MaxElements)
        {
            throw new TwimlSyntaxException($"the document has more than {MaxElements} elements");
        }

        var element = new TwimlElement(reader.LocalName);
        // Whitespace between verbs is layout; inside <Say> (SSML) it separates words.
        keepWhitespace |= element.Name == "Say";
        var isEmpty = reader.IsEmptyElement;
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                if (reader.Prefix != "xmlns" && reader.LocalName != "xmlns")
                {
                    element.AddAttribute(reader.LocalName, reader.Value);
                }
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }

        if (isEmpty)
        {
            return element;
        }

        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    element.AddContent(ReadElement(reader, depth + 1, keepWhitespace, ref elementCount));
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                    element.AddContent(reader.Value);
                    break;
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    if (keepWhitespace)
                    {
                        element.AddContent(reader.Value);
                    }

                    break;
                case XmlNodeType.EndElement:
                    return element;
                case XmlNodeType.EntityReference:
                    throw new TwimlSyntaxException("entity references are not allowed");
                default:
                    break;
            }
        }

        throw new TwimlSyntaxException($"<{element.Name}> is not closed");
    }
}

/// <summary>The document is not well-formed XML or breaks a hardening limit (Twilio 12100).</summary>
internal sealed class TwimlSyntaxException(string message) : Exception(message);
