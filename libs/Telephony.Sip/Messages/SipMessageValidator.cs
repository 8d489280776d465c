using System.Globalization;

namespace Telephony.Sip.Messages;

/// <summary>
/// Syntax and RFC 3261 §8.2.2/§8.1.3.3 checks on a framed message: mandatory and single-valued headers, typed header
/// grammar (To/From/Via/CSeq/Contact/Route), scalar ranges, CSeq method. Returns the response a UAS owes (400…),
/// or for responses the reason to discard them.
/// </summary>
public static class SipMessageValidator
{
    private static readonly string[] AddressListHeaders = [HeaderNames.Contact, HeaderNames.Route, HeaderNames.RecordRoute];

    private static readonly string[] MandatoryRequestHeaders =
        [HeaderNames.To, HeaderNames.From, HeaderNames.CallId, HeaderNames.CSeq, HeaderNames.Via];

    public static SipError? Validate(SipMessage message)
    {
        foreach (var name in MandatoryRequestHeaders)
        {
            if (!message.Headers.Contains(name))
            {
                return Bad($"Missing {name} header");
            }
        }

        if (FindRepeatedSingleHeader(message.Headers) is { } repeated)
        {
            return Bad($"Multiple {repeated} headers");
        }

        if (string.IsNullOrWhiteSpace(message.CallId) || message.CallId.AsSpan().IndexOfAny(' ', '\t') >= 0)
        {
            return Bad("Invalid Call-ID");
        }

        if (message.CSeq is not { } cseq)
        {
            return Bad("Invalid CSeq");
        }

        if (message.From is null || message.To is null)
        {
            return Bad("Invalid From or To");
        }

        var viaValues = message.Headers.GetValues(HeaderNames.Via);
        if (viaValues.Count == 0 || viaValues.Any(v => !ViaHeader.TryParse(v, out _)))
        {
            return Bad("Invalid Via");
        }

        foreach (var listName in AddressListHeaders)
        {
            foreach (var header in message.Headers)
            {
                if (header.Name != listName)
                {
                    continue;
                }

                if (SipSyntax.HasEmptyListElement(header.Value))
                {
                    return Bad($"Invalid {listName}");
                }

                foreach (var value in SipSyntax.SplitList(header.Value))
                {
                    if (!NameAddress.TryParse(value, out var address) ||
                        (address.Parameters["expires"] is { } contactExpires && !IsDeltaSeconds(contactExpires)))
                    {
                        return Bad($"Invalid {listName}");
                    }
                }
            }
        }

        if (message.Headers.Get(HeaderNames.MaxForwards) is { } maxForwards &&
            (!int.TryParse(maxForwards, NumberStyles.None, CultureInfo.InvariantCulture, out var hops) || hops > 255))
        {
            return Bad("Invalid Max-Forwards");
        }

        if (message.Headers.Get(HeaderNames.Expires) is { } expires && !IsDeltaSeconds(expires))
        {
            return Bad("Invalid Expires");
        }

        return message switch
        {
            SipRequest request => ValidateRequest(request, cseq),
            SipResponse response => ValidateResponse(response),
            _ => null,
        };
    }

    private static SipError? ValidateRequest(SipRequest request, CSeqHeader cseq)
    {
        if (request.Uri is null)
        {
            return Bad("Malformed Request-URI");
        }

        if (request.Uri.IsSip && request.Uri.Headers is not null)
        {
            return Bad("Request-URI must not contain headers");
        }

        if (!string.Equals(cseq.Method, request.Method, StringComparison.Ordinal) &&
            !(request.Method == SipMethods.Cancel && cseq.Method == SipMethods.Cancel))
        {
            return Bad("CSeq method does not match the Request-Line");
        }

        return null;
    }

    private static SipError? ValidateResponse(SipResponse response)
    {
        if (response.Headers.Get(HeaderNames.RetryAfter) is { } retryAfter)
        {
            var seconds = retryAfter.AsSpan();
            var end = seconds.IndexOfAny(" ;(");
            if (!IsDeltaSeconds((end < 0 ? seconds : seconds[..end]).ToString()))
            {
                return Bad("Invalid Retry-After");
            }
        }

        foreach (var warning in response.Headers.GetValues("Warning"))
        {
            var space = warning.IndexOf(' ', StringComparison.Ordinal);
            if (space != 3 || !int.TryParse(warning.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return Bad("Invalid Warning");
            }
        }

        return null;
    }

    private static string? FindRepeatedSingleHeader(SipHeaders headers)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            var name = headers[i].Name;
            if (!HeaderNames.IsSingle(name))
            {
                continue;
            }

            for (var j = i + 1; j < headers.Count; j++)
            {
                if (string.Equals(headers[j].Name, name, StringComparison.Ordinal))
                {
                    return name;
                }
            }
        }

        return null;
    }

    /// <summary>delta-seconds fits in 32 bits (RFC 3261 §25).</summary>
    private static bool IsDeltaSeconds(string text) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    private static SipError Bad(string reason) => new(400, reason);
}
