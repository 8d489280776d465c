using Telephony.Core.Errors;

namespace Telephony.Core.Parameters;

/// <summary>Shared checks for URL and HTTP-method parameters.</summary>
public static class ParameterRules
{
    public const int MaxUrlLength = 4096;

    /// <summary>An absolute http(s) URL, or null when the parameter is absent.</summary>
    public static string? AbsoluteHttpUrl(RequestParameters parameters, string name, int errorCode = TwilioErrorCodes.InvalidUrl)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var value = parameters.Single(name);
        if (value is null)
        {
            return null;
        }

        if (value.Length > MaxUrlLength
            || !Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw RequestParameters.Invalid(errorCode, $"{name} is not a valid URL: {Truncate(value)}");
        }

        return value;
    }

    /// <summary>GET or POST (any case, normalised to upper case); <paramref name="fallback"/> when absent.</summary>
    public static string HttpMethod(RequestParameters parameters, string name, string fallback = "POST")
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var value = parameters.Single(name);
        if (value is null)
        {
            return fallback;
        }

        if (value.Equals("GET", StringComparison.OrdinalIgnoreCase))
        {
            return "GET";
        }

        if (value.Equals("POST", StringComparison.OrdinalIgnoreCase))
        {
            return "POST";
        }

        throw RequestParameters.Invalid(TwilioErrorCodes.InvalidMethod, $"{name} must be GET or POST, not '{Truncate(value)}'");
    }

    public static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
