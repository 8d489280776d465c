using Telephony.Core.Limits;
using Telephony.MediaNode.Configuration;
using Telephony.Sip.Auth;
using Telephony.Sip.Messages;

namespace Telephony.MediaNode.Dialing;

/// <summary>
/// A configured trunk and its calls-per-second bucket (this node's). Its channels are counted across the cluster by
/// <see cref="Telephony.Core.Limits.TrunkChannels"/>.
/// </summary>
public sealed class Trunk
{
    private readonly TokenBucket _callsPerSecond;
    private readonly string[] _prefixes;

    public Trunk(TrunkOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        if (!SipUri.TryParse(options.Uri, out var uri) || !uri.IsSip)
        {
            throw new InvalidOperationException($"trunk '{options.Name}': '{options.Uri}' is not a SIP URI");
        }

        Uri = uri;
        _prefixes = [.. options.Prefixes.Select(p => p.TrimStart('+'))];
        _callsPerSecond = new TokenBucket(Math.Max(0.01, options.CallsPerSecond), Math.Max(1, options.CallsPerSecond), time);
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

    /// <summary>Takes a calls-per-second token, or says how long until one is free.</summary>
    public bool TryTakeCallSlot(out TimeSpan retryAfter) => _callsPerSecond.TryTake(out retryAfter);

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
