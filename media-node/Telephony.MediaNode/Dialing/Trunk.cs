using Telephony.MediaNode.Configuration;
using Telephony.Sip.Auth;
using Telephony.Sip.Messages;

namespace Telephony.MediaNode.Dialing;

/// <summary>
/// A configured trunk: where its calls go and which numbers it carries. Its channels and calls per second are kept
/// across the cluster (<see cref="Telephony.Core.Limits.TrunkChannels"/>, <see cref="Telephony.Core.Limits.TrunkPacing"/>).
/// </summary>
public sealed class Trunk
{
    private readonly string[] _prefixes;

    public Trunk(TrunkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        if (!SipUri.TryParse(options.Uri, out var uri) || !uri.IsSip)
        {
            throw new InvalidOperationException($"trunk '{options.Name}': '{options.Uri}' is not a SIP URI");
        }

        if (options.MaxChannels < 1 || !double.IsFinite(options.CallsPerSecond) || options.CallsPerSecond <= 0)
        {
            throw new InvalidOperationException($"trunk '{options.Name}': MaxChannels must be at least 1 and CallsPerSecond above 0");
        }

        Uri = uri;
        _prefixes = [.. options.Prefixes.Select(p => p.TrimStart('+'))];
        Credentials = options.Username is { Length: > 0 } user ? new DigestCredentials(user, options.Password ?? string.Empty) : null;
    }

    public TrunkOptions Options { get; }

    public string Name => Options.Name;

    public SipUri Uri { get; }

    public DigestCredentials? Credentials { get; }

    /// <summary>Length of the longest prefix of <paramref name="digits"/> this trunk carries; -1 when it does not carry it.</summary>
    public int MatchLength(string digits)
    {
        if (_prefixes.Length == 0)
        {
            return 0;
        }

        var best = -1;
        foreach (var prefix in _prefixes)
        {
            if (digits.StartsWith(prefix, StringComparison.Ordinal) && prefix.Length > best)
            {
                best = prefix.Length;
            }
        }

        return best;
    }

    /// <summary>The Request-URI for a number on this trunk: the number as the user part of the trunk's URI.</summary>
    public SipUri TargetFor(string number)
    {
        var target = Uri.WithoutHeadersAndParameters().With(user: number);
        if (string.Equals(Options.Transport, "tcp", StringComparison.OrdinalIgnoreCase))
        {
            target.Parameters.Set("transport", "tcp");
        }

        return target;
    }
}
