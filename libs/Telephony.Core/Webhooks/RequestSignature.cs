using System.Security.Cryptography;
using System.Text;

namespace Telephony.Core.Webhooks;

/// <summary>
/// Twilio's <c>X-Twilio-Signature</c> scheme: HMAC-SHA1 (keyed by the account's auth token) over the full URL
/// followed by every POST parameter, sorted by name, as name+value; base64. GET requests sign the URL alone
/// (its query already holds the parameters). JSON bodies are covered by a <c>bodySHA256</c> query parameter.
/// </summary>
public static class RequestSignature
{
    /// <summary>The header Twilio sends the signature in.</summary>
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>The query parameter carrying the hex SHA-256 of a JSON body.</summary>
    public const string BodyHashParameter = "bodySHA256";

    /// <summary>Computes the signature for <paramref name="url"/> and (for form POSTs) its body parameters.</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>>? formParameters)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        var data = new StringBuilder(url);
        if (formParameters is not null)
        {
            AppendSortedParameters(data, formParameters);
        }

        var key = Encoding.UTF8.GetBytes(authToken);
#pragma warning disable CA5350 // HMAC-SHA1 is what Twilio's scheme (and every tenant's validator) specifies.
        var hash = HMACSHA1.HashData(key, Encoding.UTF8.GetBytes(data.ToString()));
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }

    /// <summary>
    /// Checks a received signature in constant time. Like Twilio's SDK validators, it accepts the URL with and
    /// without the scheme's default port, because proxies add or drop it.
    /// </summary>
    public static bool Validate(string authToken, string? signature, string url, IEnumerable<KeyValuePair<string, string>>? formParameters)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }

        var parameters = formParameters?.ToList();
        var valid = false;
        foreach (var candidate in UrlPortVariants.Of(url))
        {
            // No early exit: every candidate is compared so timing does not reveal which form matched.
            valid |= FixedTimeEquals(signature, Compute(authToken, candidate, parameters));
        }

        return valid;
    }

    /// <summary>Validates a JSON-bodied request: the URL signature, and the body against the URL's <c>bodySHA256</c>.</summary>
    public static bool ValidateWithBody(string authToken, string? signature, string url, ReadOnlySpan<byte> body)
    {
        if (!Validate(authToken, signature, url, null))
        {
            return false;
        }

        var expected = QueryValue(url, BodyHashParameter);
        return expected is not null && FixedTimeEquals(expected, BodySha256(body));
    }

    /// <summary>The lowercase hex SHA-256 of a body, as the <c>bodySHA256</c> parameter carries it.</summary>
    public static string BodySha256(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>Adds <c>bodySHA256=&lt;hash&gt;</c> to the URL's query (before any fragment).</summary>
    public static string AppendBodyHash(string url, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(url);
        var fragmentStart = url.IndexOf('#', StringComparison.Ordinal);
        var fragment = fragmentStart < 0 ? string.Empty : url[fragmentStart..];
        var withoutFragment = fragmentStart < 0 ? url : url[..fragmentStart];
        var separator = withoutFragment.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return withoutFragment + separator + BodyHashParameter + "=" + BodySha256(body) + fragment;
    }

    private static void AppendSortedParameters(StringBuilder data, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        // Repeated names are signed once per distinct value, values sorted, as Twilio's validators expect.
        var byName = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            if (!byName.TryGetValue(name, out var values))
            {
                values = new SortedSet<string>(StringComparer.Ordinal);
                byName.Add(name, values);
            }

            values.Add(value ?? string.Empty);
        }

        foreach (var (name, values) in byName)
        {
            foreach (var value in values)
            {
                data.Append(name).Append(value);
            }
        }
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string? QueryValue(string url, string name)
    {
        var queryStart = url.IndexOf('?', StringComparison.Ordinal);
        if (queryStart < 0)
        {
            return null;
        }

        var query = url.AsSpan(queryStart + 1);
        var fragmentStart = query.IndexOf('#');
        if (fragmentStart >= 0)
        {
            query = query[..fragmentStart];
        }

        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            if (equals > 0 && pair[..equals].SequenceEqual(name))
            {
                return Uri.UnescapeDataString(pair[(equals + 1)..].ToString());
            }
        }

        return null;
    }
}
