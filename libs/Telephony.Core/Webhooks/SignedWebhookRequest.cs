using System.Net.Http.Headers;
using System.Text;

namespace Telephony.Core.Webhooks;

/// <summary>
/// Builds outbound webhook requests signed the way Twilio signs them: form POSTs (parameters in the body),
/// GETs (parameters appended to the query) and JSON POSTs (body hash in a <c>bodySHA256</c> query parameter).
/// </summary>
public static class SignedWebhookRequest
{
    public static HttpRequestMessage Form(Uri url, string authToken, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(url);
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(parameters) };
        request.Headers.TryAddWithoutValidation(RequestSignature.HeaderName, RequestSignature.Compute(authToken, url.AbsoluteUri, parameters));
        return request;
    }

    public static HttpRequestMessage Get(Uri url, string authToken, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(url);
        var withQuery = new Uri(AppendQuery(url.AbsoluteUri, parameters));
        var request = new HttpRequestMessage(HttpMethod.Get, withQuery);
        request.Headers.TryAddWithoutValidation(RequestSignature.HeaderName, RequestSignature.Compute(authToken, withQuery.AbsoluteUri, null));
        return request;
    }

    public static HttpRequestMessage Json(Uri url, string authToken, ReadOnlyMemory<byte> utf8Json)
    {
        ArgumentNullException.ThrowIfNull(url);
        var signedUrl = new Uri(RequestSignature.AppendBodyHash(url.AbsoluteUri, utf8Json.Span));
        var content = new ReadOnlyMemoryContent(utf8Json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var request = new HttpRequestMessage(HttpMethod.Post, signedUrl) { Content = content };
        request.Headers.TryAddWithoutValidation(RequestSignature.HeaderName, RequestSignature.Compute(authToken, signedUrl.AbsoluteUri, null));
        return request;
    }

    /// <summary>Appends form-encoded parameters to a URL's existing query.</summary>
    public static string AppendQuery(string url, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0)
        {
            return url;
        }

        var query = new StringBuilder(url);
        if (!url.Contains('?', StringComparison.Ordinal))
        {
            query.Append('?');
        }
        else if (!url.EndsWith('?') && !url.EndsWith('&'))
        {
            query.Append('&');
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            if (i > 0)
            {
                query.Append('&');
            }

            query.Append(Uri.EscapeDataString(parameters[i].Key)).Append('=').Append(Uri.EscapeDataString(parameters[i].Value ?? string.Empty));
        }

        return query.ToString();
    }
}
