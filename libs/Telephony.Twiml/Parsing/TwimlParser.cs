using System.Runtime.InteropServices;
using System.Text;
using Telephony.Twiml.Model;

namespace Telephony.Twiml.Parsing;

/// <summary>Parses and validates a TwiML voice document into a <see cref="TwimlProgram"/>, or a Twilio error.</summary>
public static class TwimlParser
{
    /// <summary>Twilio rejects TwiML responses over 64 kB (11750).</summary>
    public const int MaxDocumentBytes = TwimlDocumentReader.MaxDocumentBytes;

    public static TwimlParseResult Parse(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        // Every char is at least one UTF-8 byte: an oversized string is refused before it is encoded.
        return document.Length > MaxDocumentBytes
            ? TwimlParseResult.Failed(new(TwimlErrorCodes.ResponseBodyTooLarge,
                $"the TwiML document is over {MaxDocumentBytes} bytes"))
            : Parse(Encoding.UTF8.GetBytes(document));
    }

    public static TwimlParseResult Parse(ReadOnlyMemory<byte> document)
    {
        if (document.Length > MaxDocumentBytes)
        {
            return TwimlParseResult.Failed(new(TwimlErrorCodes.ResponseBodyTooLarge,
                $"the TwiML document is {document.Length} bytes; the limit is {MaxDocumentBytes}"));
        }

        TwimlElement root;
        try
        {
            using var stream = MemoryMarshal.TryGetArray(document, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(document.ToArray(), writable: false);
            root = TwimlDocumentReader.Read(stream);
        }
        catch (TwimlSyntaxException ex)
        {
            return TwimlParseResult.Failed(new(TwimlErrorCodes.DocumentParseFailure, "Document parse failure: " + ex.Message));
        }

        if (root.Name != "Response")
        {
            return TwimlParseResult.Failed(new(TwimlErrorCodes.DocumentParseFailure,
                $"Document parse failure: the root element is <{root.Name}>, expected <Response>"));
        }

        var warnings = new List<TwimlNotification>();
        var verbs = new List<TwimlVerb>();
        try
        {
            foreach (var item in root.Content)
            {
                if (item is TwimlElement element)
                {
                    verbs.Add(TwimlVerbReader.Read(element, warnings));
                }
                else if (!string.IsNullOrWhiteSpace((string)item))
                {
                    warnings.Add(new(TwimlErrorCodes.SchemaValidationWarning, "text directly inside <Response> is ignored"));
                }
            }
        }
        catch (TwimlSchemaException ex)
        {
            return TwimlParseResult.Failed(new(TwimlErrorCodes.SchemaValidationWarning, "Schema validation warning: " + ex.Message));
        }

        return new TwimlParseResult(new TwimlProgram(verbs, warnings), null);
    }
}

/// <summary>A parsed program, or the Twilio notification explaining why there is none.</summary>
public sealed record TwimlParseResult(TwimlProgram? Program, TwimlNotification? Error)
{
    public bool Succeeded => Program is not null;

    internal static TwimlParseResult Failed(TwimlNotification error) => new(null, error);
}

/// <summary>Well-formed XML that is not valid TwiML: unknown verb, verb nested where it may not be (Twilio 12200).</summary>
internal sealed class TwimlSchemaException(string message) : Exception(message);
