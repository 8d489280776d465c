namespace Telephony.Core.Webhooks;

/// <summary>The URL as given plus its form with the default port added or removed, without re-encoding anything.</summary>
internal static class UrlPortVariants
{
    public static IEnumerable<string> Of(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            yield return url;
            yield break;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var authority = url[authorityStart..authorityEnd];
        var hostStart = authority.LastIndexOf('@') + 1;
        var portStart = authority.IndexOf(':', Math.Max(hostStart, authority.LastIndexOf(']') + 1));
        var prefix = url[..authorityStart] + authority[..(portStart < 0 ? authority.Length : portStart)];
        var rest = url[authorityEnd..];
        if (portStart >= 0)
        {
            yield return prefix + rest;
            yield return url;
        }
        else
        {
            var defaultPort = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? ":443" : ":80";
            yield return url;
            yield return prefix + defaultPort + rest;
        }
    }
}
