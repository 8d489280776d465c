using System.Security.Cryptography;
using Telephony.Sip.Messages;

namespace Telephony.Sip.Auth;

/// <summary>
/// Answers a 401/407 challenge: builds the Authorization (or Proxy-Authorization) header for the retried request.
/// The retry must carry CSeq + 1 and a new branch; <see cref="TryAuthorize"/> does the header part.
/// </summary>
public static class DigestClient
{
    /// <summary>Adds credentials to <paramref name="retry"/> for the challenge in <paramref name="challengeResponse"/>. False if unusable.</summary>
    public static bool TryAuthorize(SipRequest retry, SipResponse challengeResponse, DigestCredentials credentials, int nonceCount = 1)
    {
        var (challengeHeader, authorizationHeader) = challengeResponse.StatusCode == 407
            ? (HeaderNames.ProxyAuthenticate, HeaderNames.ProxyAuthorization)
            : (HeaderNames.WwwAuthenticate, HeaderNames.Authorization);
        var challenge = challengeResponse.Headers.GetValues(challengeHeader)
            .Select(v => DigestChallenge.TryParse(v, out var c) ? c : null)
            .OfType<DigestChallenge>()
            .OrderByDescending(c => c.Algorithm.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault(c => DigestAlgorithm.IsSupported(c.Algorithm));
        if (challenge is null)
        {
            return false;
        }

        var uri = retry.UriText;
        var qop = challenge.OffersAuthQop ? "auth" : null;
        var nc = nonceCount.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var cnonce = qop is null ? null : Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        var response = DigestAlgorithm.Response(
            challenge.Algorithm, credentials.Username, challenge.Realm, credentials.Password, retry.Method, uri, challenge.Nonce, qop, nc, cnonce);

        var parameters = new List<(string, string, bool)>
        {
            ("username", credentials.Username, true),
            ("realm", challenge.Realm, true),
            ("nonce", challenge.Nonce, true),
            ("uri", uri, true),
            ("response", response, true),
            ("algorithm", challenge.Algorithm, false),
        };
        if (qop is not null)
        {
            parameters.Add(("qop", qop, false));
            parameters.Add(("nc", nc, false));
            parameters.Add(("cnonce", cnonce!, true));
        }

        if (challenge.Opaque is { } opaque)
        {
            parameters.Add(("opaque", opaque, true));
        }

        retry.Headers.Set(authorizationHeader, DigestChallenge.Format("Digest", parameters));
        return true;
    }
}
