using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Telephony.Core.Tokens;

/// <summary>
/// A compact JWS (<c>header.payload.signature</c>) split and decoded, with HMAC verification for the
/// three algorithms Twilio's SDKs sign with. Every other <c>alg</c> (including <c>none</c>) is refused.
/// </summary>
internal sealed class CompactJwt : IDisposable
{
    /// <summary>Twilio tokens are small; anything far larger is not one and is not decoded.</summary>
    private const int MaxLength = 16 * 1024;

    private readonly string _token;
    private readonly int _signingInputLength;
    private readonly byte[] _signature;

    private CompactJwt(string token, int signingInputLength, JsonDocument header, JsonDocument payload, byte[] signature)
    {
        _token = token;
        _signingInputLength = signingInputLength;
        Header = header;
        Payload = payload;
        _signature = signature;
    }

    public JsonDocument Header { get; }

    public JsonDocument Payload { get; }

    public string Algorithm => Header.RootElement.TryGetProperty("alg", out var alg) && alg.ValueKind == JsonValueKind.String ? alg.GetString()! : string.Empty;

    public static CompactJwt Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length is 0 or > MaxLength)
        {
            throw Invalid("not a JWT");
        }

        var span = token.AsSpan();
        var firstDot = span.IndexOf('.');
        var secondDot = firstDot < 0 ? -1 : span[(firstDot + 1)..].IndexOf('.');
        if (firstDot <= 0 || secondDot < 0)
        {
            throw Invalid("not a JWT (three dot-separated parts expected)");
        }

        secondDot += firstDot + 1;
        var signatureText = span[(secondDot + 1)..];
        if (signatureText.Contains('.'))
        {
            throw Invalid("not a JWT (three dot-separated parts expected)");
        }

        var header = ParseJson(span[..firstDot], "header");
        try
        {
            var payload = ParseJson(span[(firstDot + 1)..secondDot], "payload");
            return new CompactJwt(token, secondDot, header, payload, Decode(signatureText, "signature"));
        }
        catch
        {
            header.Dispose();
            throw;
        }
    }

    /// <summary>Checks the signature with <paramref name="secret"/> (UTF-8, as the SDKs use it) in constant time.</summary>
    public bool SignatureMatches(string secret)
    {
        var key = Encoding.UTF8.GetBytes(secret);
        var input = Encoding.ASCII.GetBytes(_token, 0, _signingInputLength);
        byte[] expected = Algorithm switch
        {
            "HS256" => HMACSHA256.HashData(key, input),
            "HS384" => HMACSHA384.HashData(key, input),
            "HS512" => HMACSHA512.HashData(key, input),
            _ => [],
        };
        return expected.Length > 0 && CryptographicOperations.FixedTimeEquals(expected, _signature);
    }

    public void Dispose()
    {
        Header.Dispose();
        Payload.Dispose();
    }

    private static JsonDocument ParseJson(ReadOnlySpan<char> part, string name)
    {
        var bytes = Decode(part, name);
        try
        {
            var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw Invalid($"the {name} is not a JSON object");
            }

            return document;
        }
        catch (JsonException)
        {
            throw Invalid($"the {name} is not JSON");
        }
    }

    private static byte[] Decode(ReadOnlySpan<char> part, string name)
    {
        // TryDecodeFromChars throws (rather than returning false) on some malformed lengths.
        var buffer = new byte[Base64Url.GetMaxDecodedLength(part.Length)];
        bool decoded;
        int written;
        try
        {
            decoded = Base64Url.TryDecodeFromChars(part, buffer, out written);
        }
        catch (FormatException)
        {
            decoded = false;
            written = 0;
        }

        return decoded ? buffer[..written] : throw Invalid($"the {name} is not base64url");
    }

    private static Errors.TwilioException Invalid(string why) =>
        AccessTokenErrors.Refuse(AccessTokenErrors.Invalid, "Invalid Access Token: " + why);
}
