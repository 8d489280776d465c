using System.Globalization;

namespace Telephony.Twiml.Fetching;

/// <summary>
/// Twilio's webhook connection overrides, written as a URL fragment (<c>https://app/x#ct=1000&amp;rc=2</c>):
/// ct connect timeout ms, rt read timeout ms, tt total time ms, rc retry count, rp retry policy, e edge, sni.
/// Values outside Twilio's ranges are clamped.
/// </summary>
public sealed record ConnectionOverrides
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromMilliseconds(5000);

    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromMilliseconds(15000);

    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMilliseconds(15000);

    public int RetryCount { get; init; } = 1;

    public RetryPolicy RetryPolicy { get; init; } = RetryPolicy.ConnectFailure;

    public string? Edge { get; init; }

    public bool? Sni { get; init; }

    public static ConnectionOverrides Default { get; } = new();

    /// <summary>Splits off the fragment: the URL to request, and the overrides it carried.</summary>
    public static (string Url, ConnectionOverrides Overrides) Split(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? (url, Default) : (url[..hash], Parse(url.AsSpan(hash + 1)));
    }

    public static ConnectionOverrides Parse(ReadOnlySpan<char> fragment)
    {
        var result = Default;
        foreach (var range in fragment.Split('&'))
        {
            var pair = fragment[range];
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var key = pair[..equals];
            var value = pair[(equals + 1)..];
            result = key switch
            {
                "ct" => result with { ConnectTimeout = Millis(value, 100, 10000, result.ConnectTimeout) },
                "rt" => result with { ReadTimeout = Millis(value, 100, 15000, result.ReadTimeout) },
                "tt" => result with { TotalTimeout = Millis(value, 100, 15000, result.TotalTimeout) },
                "rc" => result with { RetryCount = Number(value, 0, 5) ?? result.RetryCount },
                "rp" => result with { RetryPolicy = Policy(value) ?? result.RetryPolicy },
                "e" => result with { Edge = value.ToString() },
                "sni" => result with { Sni = value is "y" ? true : value is "n" ? false : result.Sni },
                _ => result,
            };
        }

        return result;
    }

    private static TimeSpan Millis(ReadOnlySpan<char> value, int min, int max, TimeSpan fallback) =>
        Number(value, min, max) is { } ms ? TimeSpan.FromMilliseconds(ms) : fallback;

    private static int? Number(ReadOnlySpan<char> value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, min, max) : null;

    private static RetryPolicy? Policy(ReadOnlySpan<char> value)
    {
        RetryPolicy policy = RetryPolicy.None;
        foreach (var range in value.Split(','))
        {
            policy |= value[range] switch
            {
                "ct" => RetryPolicy.ConnectFailure,
                "rt" => RetryPolicy.ReadTimeout,
                "4xx" => RetryPolicy.ClientError,
                "5xx" => RetryPolicy.ServerError,
                "all" => RetryPolicy.All,
                _ => RetryPolicy.None,
            };
        }

        return policy == RetryPolicy.None ? null : policy;
    }
}

/// <summary>Which failures an instruction request is retried on (<c>#rp=</c>).</summary>
[Flags]
public enum RetryPolicy
{
    None = 0,
    ConnectFailure = 1,
    ReadTimeout = 2,
    ClientError = 4,
    ServerError = 8,
    All = ConnectFailure | ReadTimeout | ClientError | ServerError,
}
