using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Telephony.Sip.Messages;
using Telephony.Testing;

namespace Telephony.Sip.Tests.Messages;

public sealed class ParserPropertyTests
{
    private static readonly byte[][] Seeds =
    [
        .. Directory.GetFiles(RepoPaths.Combine("tests", "Telephony.Sip.Tests", "Torture"), "*.dat").Order().Select(File.ReadAllBytes),
    ];

    private static readonly byte[] Interesting = "\r\n:;,<>\"\\ @=?%[]/\0\t"u8.ToArray();

    [Property(MaxTest = 2000)]
    public void Parser_and_validator_never_throw_on_mutated_messages(NonNegativeInt seed, int[] positions, byte[] values, bool stream)
    {
        var data = Seeds[seed.Get % Seeds.Length].ToArray();
        for (var i = 0; i < positions.Length && data.Length > 0; i++)
        {
            var at = (int)((uint)positions[i] % (uint)data.Length);
            var value = values.Length > 0 ? values[i % values.Length] : (byte)0;
            data[at] = (value & 1) == 0 ? Interesting[value % Interesting.Length] : value;
        }

        if (positions.Length > 0 && positions[0] % 3 == 0)
        {
            data = data[..(int)((uint)positions[0] % (uint)(data.Length + 1))];
        }

        var result = stream ? SipParser.ParseStream(data) : SipParser.ParseDatagram(data);
        if (result.Message is { } message)
        {
            _ = SipMessageValidator.Validate(message);
            _ = message.Contacts;
            _ = message.Vias;
            _ = SipSerializer.Serialize(message);
        }

        Assert.InRange(result.Consumed, 0, data.Length);
    }

    [Property(MaxTest = 500)]
    public void Parse_of_serialize_is_identity(NonEmptyString userText, PositiveInt cseq, byte methodIndex, string[] extra, byte[] body, bool response)
    {
        var user = Sanitize(userText.Get);
        string[] methods = ["INVITE", "BYE", "OPTIONS", "REGISTER", "INFO", "X-CUSTOM"];
        var method = methods[methodIndex % methods.Length];
        SipMessage message = response
            ? new SipResponse(100 + (cseq.Get % 600), "Reason " + user)
            : new SipRequest(method, SipUri.Create(user, "example.com", 5060));
        message.Headers.Add("Via", $"SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK{user};rport");
        message.Headers.Add("From", $"\"A \\\"{user}\\\"\" <sip:{user}@example.com>;tag=1");
        message.Headers.Add("To", $"<sip:{user}@[2001:db8::1]:5070;transport=udp>");
        message.Headers.Add("Call-ID", user + "@host");
        message.Headers.Add("CSeq", $"{cseq.Get % 100000} {method}");
        foreach (var value in extra ?? [])
        {
            message.Headers.Add("X-" + Sanitize(value ?? "x"), Sanitize(value ?? string.Empty) + " value");
        }

        message.SetBody(body ?? [], body is { Length: > 0 } ? "application/octet-stream" : null);

        var parsed = SipParser.ParseDatagram(SipSerializer.Serialize(message));
        Assert.True(parsed.IsValid, parsed.Error?.Reason);
        AssertEquivalent(message, parsed.Message!);
    }

    internal static void AssertEquivalent(SipMessage expected, SipMessage actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        if (expected is SipRequest request)
        {
            var other = (SipRequest)actual;
            Assert.Equal(request.Method, other.Method);
            Assert.Equal(request.UriText, other.UriText);
        }
        else
        {
            var response = (SipResponse)expected;
            var other = (SipResponse)actual;
            Assert.Equal(response.StatusCode, other.StatusCode);
            Assert.Equal(response.Reason, other.Reason);
        }

        Assert.Equal(
            expected.Headers.Where(h => h.Name != HeaderNames.ContentLength),
            actual.Headers.Where(h => h.Name != HeaderNames.ContentLength));
        Assert.Equal(expected.Body.ToArray(), actual.Body.ToArray());
    }

    private static string Sanitize(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(c);
            }
        }

        return builder.Length == 0 ? "u" : builder.ToString();
    }
}
