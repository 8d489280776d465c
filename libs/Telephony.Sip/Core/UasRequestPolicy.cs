using Telephony.Sip.Messages;

namespace Telephony.Sip.Core;

/// <summary>
/// RFC 3261 §8.2 checks a UAS applies to a syntactically valid request before handling it: URI scheme (416),
/// Require (420 + Unsupported), Content-Type (415 + Accept), Accept (406). Returns the rejection response, or null.
/// </summary>
public sealed class UasRequestPolicy
{
    public IReadOnlyCollection<string> SupportedSchemes { get; init; } = ["sip", "sips", "tel"];

    /// <summary>Option tags we implement. `100rel` is deliberately absent: reliable provisionals are not supported.</summary>
    public IReadOnlyCollection<string> SupportedExtensions { get; init; } = ["replaces", "timer", "path", "outbound"];

    public IReadOnlyCollection<string> AcceptedContentTypes { get; init; } = ["application/sdp", "multipart/mixed", "application/dtmf-relay"];

    public IReadOnlyCollection<string> AllowedMethods { get; init; } =
        [SipMethods.Invite, SipMethods.Ack, SipMethods.Cancel, SipMethods.Bye, SipMethods.Options, SipMethods.Info, SipMethods.Register];

    public string AllowHeader => string.Join(", ", AllowedMethods);

    public SipResponse? Check(SipRequest request)
    {
        if (!SupportedSchemes.Contains(request.Uri.Scheme))
        {
            return SipResponses.Create(request, 416);
        }

        if (request.Method is SipMethods.Ack or SipMethods.Cancel)
        {
            return null;
        }

        var unsupported = request.OptionTags(HeaderNames.Require)
            .Where(tag => !SupportedExtensions.Contains(tag, StringComparer.OrdinalIgnoreCase))
            .ToList();
        if (unsupported.Count > 0)
        {
            var response = SipResponses.Create(request, 420);
            response.Headers.Add(HeaderNames.Unsupported, string.Join(", ", unsupported));
            return response;
        }

        if (!request.Body.IsEmpty && request.ContentType is { } contentType && !IsAccepted(contentType))
        {
            var response = SipResponses.Create(request, 415);
            response.Headers.Add(HeaderNames.Accept, string.Join(", ", AcceptedContentTypes));
            return response;
        }

        if (request.Method == SipMethods.Invite && request.Headers.Contains(HeaderNames.Accept) &&
            !request.Headers.GetValues(HeaderNames.Accept).Any(AcceptsSdp))
        {
            var response = SipResponses.Create(request, 406);
            response.Headers.Add(HeaderNames.Accept, "application/sdp");
            return response;
        }

        return null;
    }

    private bool IsAccepted(string contentType)
    {
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return AcceptedContentTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase);
    }

    private static bool AcceptsSdp(string range)
    {
        var semicolon = range.IndexOf(';', StringComparison.Ordinal);
        var mediaRange = (semicolon < 0 ? range : range[..semicolon]).Trim();
        return mediaRange is "*/*" or "application/*" || mediaRange.Equals("application/sdp", StringComparison.OrdinalIgnoreCase);
    }
}
