using Telephony.Sip.Messages;

namespace Telephony.Sip.Core;

/// <summary>Builds responses to a request per RFC 3261 §8.2.6: Via, From, To (with our tag), Call-ID and CSeq copied.</summary>
public static class SipResponses
{
    public static SipResponse Create(SipRequest request, int statusCode, string? reason = null, string? toTag = null)
    {
        var response = new SipResponse(statusCode, reason);
        foreach (var header in request.Headers)
        {
            if (header.Name is HeaderNames.Via or HeaderNames.From or HeaderNames.CallId or HeaderNames.CSeq ||
                (header.Name == HeaderNames.RecordRoute && statusCode is > 100 and < 300))
            {
                response.Headers.Add(header.Name, header.Value);
            }
            else if (header.Name == HeaderNames.To)
            {
                response.Headers.Add(header.Name, WithTag(header.Value, statusCode == 100 ? null : toTag));
            }
        }

        return response;
    }

    private static string WithTag(string to, string? tag)
    {
        if (tag is null || !NameAddress.TryParse(to, out var address) || address.Tag is not null)
        {
            return to;
        }

        address.Tag = tag;
        return address.ToString();
    }
}
