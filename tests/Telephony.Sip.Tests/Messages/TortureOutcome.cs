using Telephony.Sip.Core;
using Telephony.Sip.Messages;

namespace Telephony.Sip.Tests.Messages;

/// <summary>What our UA does with one received datagram: accept it, answer it with a status, or drop it (responses).</summary>
internal static class TortureOutcome
{
    public const int Accepted = 0;
    public const int Dropped = -1;

    public static int Evaluate(byte[] datagram)
    {
        var parsed = SipParser.ParseDatagram(datagram);
        if (parsed.Message is null)
        {
            return Dropped;
        }

        if (parsed.Message is SipResponse response)
        {
            // RFC 3261 §8.1.3.3: a UAC discards responses with more than one Via, and invalid ones.
            return parsed.Error is null && SipMessageValidator.Validate(response) is null && response.Vias.Count == 1 ? Accepted : Dropped;
        }

        var request = (SipRequest)parsed.Message;
        if (parsed.Error is { } error)
        {
            return error.StatusCode;
        }

        if (SipMessageValidator.Validate(request) is { } invalid)
        {
            return invalid.StatusCode;
        }

        return new UasRequestPolicy().Check(request)?.StatusCode ?? Accepted;
    }
}
