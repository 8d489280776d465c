namespace Telephony.Twiml.Verbs;

/// <summary>Relative URLs in TwiML resolve against the URL of the document they came from.</summary>
internal static class Urls
{
    public static string Resolve(string url, string documentUrl)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            return url;
        }

        return Uri.TryCreate(documentUrl, UriKind.Absolute, out var baseUri) && Uri.TryCreate(baseUri, url, out var resolved)
            ? resolved.OriginalString
            : url;
    }

    /// <summary>Whether <paramref name="url"/> is an absolute http or https URL (what instructions can be fetched from).</summary>
    public static bool IsHttp(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https" && absolute.Host.Length > 0;
}
