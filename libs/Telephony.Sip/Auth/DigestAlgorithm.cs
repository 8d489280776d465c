using System.Security.Cryptography;
using System.Text;

namespace Telephony.Sip.Auth;

/// <summary>The digest computation shared by client and server (RFC 2617 §3.2.2, RFC 8760 for SHA-256).</summary>
public static class DigestAlgorithm
{
    public static bool IsSupported(string algorithm) =>
        algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase) || algorithm.Equals("SHA-256", StringComparison.OrdinalIgnoreCase);

    public static string Hash(string algorithm, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var digest = algorithm.Equals("SHA-256", StringComparison.OrdinalIgnoreCase)
            ? SHA256.HashData(bytes)
#pragma warning disable CA5351 // MD5 is what SIP digest (RFC 2617) specifies; SHA-256 is used when the peer offers it.
            : MD5.HashData(bytes);
#pragma warning restore CA5351
        return Convert.ToHexString(digest).ToLowerInvariant();
    }

    public static string Response(
        string algorithm, string username, string realm, string password, string method, string uri,
        string nonce, string? qop, string? nonceCount, string? clientNonce)
    {
        var ha1 = Hash(algorithm, $"{username}:{realm}:{password}");
        var ha2 = Hash(algorithm, $"{method}:{uri}");
        return qop is null
            ? Hash(algorithm, $"{ha1}:{nonce}:{ha2}")
            : Hash(algorithm, $"{ha1}:{nonce}:{nonceCount}:{clientNonce}:{qop}:{ha2}");
    }
}
