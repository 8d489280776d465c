using System.Security.Cryptography;
using System.Text;
using Telephony.Sip.Core;
using Telephony.Sip.Messages;

namespace Telephony.Sip.Auth;

/// <summary>
/// Server side of digest auth: issues challenges with self-validating nonces (HMAC of a timestamp, so no nonce table)
/// and verifies Authorization headers. Password lookup is the caller's.
/// </summary>
public sealed class DigestServer
{
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _time;

    public DigestServer(string realm, TimeProvider time, string algorithm = "MD5")
    {
        Realm = realm;
        Algorithm = algorithm;
        _time = time;
    }

    public string Realm { get; }

    public string Algorithm { get; }

    public TimeSpan NonceLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public SipResponse Challenge(SipRequest request, bool stale = false)
    {
        var response = SipResponses.Create(request, 401, toTag: Transactions.SipStack.NewTag());
        var parameters = new List<(string, string, bool)>
        {
            ("realm", Realm, true),
            ("nonce", NewNonce(), true),
            ("algorithm", Algorithm, false),
            ("qop", "auth", true),
        };
        if (stale)
        {
            parameters.Add(("stale", "true", false));
        }

        response.Headers.Add(HeaderNames.WwwAuthenticate, DigestChallenge.Format("Digest", parameters));
        return response;
    }

    /// <summary>The username the request authenticates as, or null. <paramref name="stale"/> flags a valid answer to an expired nonce.</summary>
    public string? Verify(SipRequest request, Func<string, string?> passwordFor, out bool stale)
    {
        stale = false;
        if (request.Headers.Get(HeaderNames.Authorization) is not { } header ||
            !DigestChallenge.TryParse(header, out var authorization) ||
            authorization["username"] is not { } username ||
            authorization["response"] is not { } given ||
            !string.Equals(authorization.Realm, Realm, StringComparison.Ordinal) ||
            !DigestAlgorithm.IsSupported(authorization.Algorithm) ||
            passwordFor(username) is not { } password)
        {
            return null;
        }

        var qop = authorization["qop"];
        var expected = DigestAlgorithm.Response(
            authorization.Algorithm, username, Realm, password, request.Method, authorization["uri"] ?? request.UriText,
            authorization.Nonce, qop, authorization["nc"], authorization["cnonce"]);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given.ToLowerInvariant())))
        {
            return null;
        }

        if (!IsOurNonce(authorization.Nonce, out var issued))
        {
            return null;
        }

        var age = _time.GetUtcNow() - issued;
        if (age < TimeSpan.Zero || age > NonceLifetime)
        {
            stale = true;
            return null;
        }

        return username;
    }

    private string NewNonce()
    {
        var stamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return stamp + "." + Sign(stamp);
    }

    private bool IsOurNonce(string nonce, out DateTimeOffset issued)
    {
        issued = default;
        var dot = nonce.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(nonce.AsSpan(0, dot), out var seconds) || Sign(nonce[..dot]) != nonce[(dot + 1)..])
        {
            return false;
        }

        issued = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    private string Sign(string text) => Convert.ToHexString(HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(text)))[..32].ToLowerInvariant();
}
