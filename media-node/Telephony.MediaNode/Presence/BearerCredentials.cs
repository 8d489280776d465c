namespace Telephony.MediaNode.Presence;

/// <summary>RFC 8898 / RFC 6750 pieces shared by client REGISTERs and client INVITEs: the token and the challenge.</summary>
public static class BearerCredentials
{
    /// <summary>The token of <c>Authorization: Bearer &lt;token&gt;</c> (scheme case-insensitive), else null.</summary>
    public static string? Token(string? authorization)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[Scheme.Length..].Trim();
        return token.Length > 0 ? token : null;
    }

    /// <summary>The <c>WWW-Authenticate</c> value: no error code without credentials (RFC 6750 §3.1), else the error and why.</summary>
    public static string Challenge(string realm, string? error, string? description)
    {
        var challenge = $"Bearer realm=\"{realm}\"";
        return error is null
            ? challenge
            : challenge + $", error=\"{error}\", error_description=\"{Quoted(description ?? string.Empty)}\"";
    }

    private static string Quoted(string text) => text.Replace("\\", string.Empty, StringComparison.Ordinal).Replace("\"", "'", StringComparison.Ordinal);
}
