using System.Globalization;

namespace Telephony.Sip.Messages;

/// <summary>Common shape of requests and responses: headers in order plus an opaque body (multipart passes through).</summary>
public abstract class SipMessage
{
    public const string Version = "SIP/2.0";

    public SipHeaders Headers { get; } = new();

    public ReadOnlyMemory<byte> Body { get; set; } = ReadOnlyMemory<byte>.Empty;

    public string? CallId => Headers.Get(HeaderNames.CallId);

    public CSeqHeader? CSeq => Headers.Get(HeaderNames.CSeq) is { } text && CSeqHeader.TryParse(text, out var value) ? value : null;

    public NameAddress? From => ParseNameAddress(HeaderNames.From);

    public NameAddress? To => ParseNameAddress(HeaderNames.To);

    public string? ContentType => Headers.Get(HeaderNames.ContentType);

    /// <summary>The top Via, or null if absent or malformed.</summary>
    public ViaHeader? TopVia => Headers.GetValues(HeaderNames.Via) is { Count: > 0 } vias && ViaHeader.TryParse(vias[0], out var via) ? via : null;

    public IReadOnlyList<ViaHeader> Vias =>
        [.. Headers.GetValues(HeaderNames.Via).Select(v => ViaHeader.TryParse(v, out var via) ? via : null).OfType<ViaHeader>()];

    public IReadOnlyList<NameAddress> Contacts => ParseNameAddresses(HeaderNames.Contact);

    public IReadOnlyList<NameAddress> RecordRoutes => ParseNameAddresses(HeaderNames.RecordRoute);

    public IReadOnlyList<NameAddress> Routes => ParseNameAddresses(HeaderNames.Route);

    public int? MaxForwards =>
        int.TryParse(Headers.Get(HeaderNames.MaxForwards), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    public int? Expires =>
        int.TryParse(Headers.Get(HeaderNames.Expires), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Values of an option-tag list header (Require, Supported…), trimmed.</summary>
    public IReadOnlyList<string> OptionTags(string headerName) => Headers.GetValues(headerName);

    public void SetBody(ReadOnlyMemory<byte> body, string? contentType)
    {
        Body = body;
        if (contentType is null)
        {
            Headers.Remove(HeaderNames.ContentType);
        }
        else
        {
            Headers.Set(HeaderNames.ContentType, contentType);
        }
    }

    private NameAddress? ParseNameAddress(string name) =>
        Headers.Get(name) is { } text && NameAddress.TryParse(text, out var value) ? value : null;

    private List<NameAddress> ParseNameAddresses(string name) =>
        [.. Headers.GetValues(name).Select(v => NameAddress.TryParse(v, out var value) ? value : null).OfType<NameAddress>()];
}

/// <summary>A SIP request. The Request-URI is kept as text too, so a request with a malformed one can still be answered.</summary>
public sealed class SipRequest : SipMessage
{
    public SipRequest(string method, SipUri uri)
    {
        Method = method;
        Uri = uri;
        UriText = uri.ToString();
    }

    internal SipRequest(string method, string uriText, SipUri? uri)
    {
        Method = method;
        UriText = uriText;
        Uri = uri!;
    }

    public string Method { get; }

    /// <summary>The parsed Request-URI. Only null-valued for a received request whose URI did not parse (then the request is invalid).</summary>
    public SipUri Uri { get; private set; }

    public string UriText { get; private set; }

    /// <summary>Where a received request came from (transport, address, port); null for one built locally.</summary>
    public Transport.SipEndPoint? Source { get; internal set; }

    public void SetUri(SipUri uri)
    {
        Uri = uri;
        UriText = uri.ToString();
    }
}

/// <summary>A SIP response.</summary>
public sealed class SipResponse : SipMessage
{
    public SipResponse(int statusCode, string? reason = null)
    {
        StatusCode = statusCode;
        Reason = reason ?? SipStatus.DefaultReason(statusCode);
    }

    public int StatusCode { get; }

    public string Reason { get; }

    public bool IsProvisional => StatusCode < 200;

    public bool IsSuccess => StatusCode is >= 200 and < 300;
}
