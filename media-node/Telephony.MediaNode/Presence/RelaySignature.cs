using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Telephony.Sip.Messages;

namespace Telephony.MediaNode.Presence;

/// <summary>What a relayed INVITE asks the owning node to ring: one registration of one identity of one account.</summary>
public sealed record RelayClaims(string AccountSid, string Identity, string RegistrationId);

/// <summary>
/// The <c>Telephony-Relay</c> header nodes put on an INVITE that asks another node to ring a client registered there:
/// account, identity, registration, a timestamp and a nonce, HMAC-SHA256-signed with the shared node key
/// (<c>Telephony:NodeKey</c>). The owning node accepts it only with a valid signature (compared in constant time),
/// a timestamp within <see cref="MaxAge"/> and a nonce it has not seen, so neither a client nor a replay can make
/// a node ring its clients. Without a node key nothing is signed and every relay is refused.
/// </summary>
public sealed class RelaySignature(string? nodeKey, TimeProvider time)
{
    /// <summary>Not an X- header: tenants' &lt;Parameter&gt;s become X- headers and can never collide with it.</summary>
    public const string Header = "Telephony-Relay";

    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private const string Version = "v1";
    private const int MaxRemembered = 100_000;
    private readonly byte[]? _key = string.IsNullOrEmpty(nodeKey) ? null : Encoding.UTF8.GetBytes(nodeKey);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);

    public bool CanSign => _key is not null;

    /// <summary>The header value for <paramref name="claims"/>, or null without a node key.</summary>
    public string? Sign(RelayClaims claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (_key is null)
        {
            return null;
        }

        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var fields = new[] { Version, claims.AccountSid, Uri.EscapeDataString(claims.Identity), claims.RegistrationId, timestamp, nonce };
        return string.Join(';', fields) + ";" + Mac(fields);
    }

    /// <summary>The claims of a valid, fresh, first-seen header; null otherwise.</summary>
    public RelayClaims? Verify(SipRequest invite)
    {
        ArgumentNullException.ThrowIfNull(invite);
        var value = invite.Headers.Get(Header);
        var parts = value?.Split(';');
        if (_key is null || parts is not { Length: 7 } || parts[0] != Version ||
            !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(parts[..6]));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[6])))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253_402_300_799));
        if ((now - signedAt).Duration() > MaxAge || !FirstUse(parts[5], now))
        {
            return null;
        }

        return new RelayClaims(parts[1], Uri.UnescapeDataString(parts[2]), parts[3]);
    }

    private string Mac(IEnumerable<string> fields) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key!, Encoding.UTF8.GetBytes(string.Join('\n', fields))));

    private bool FirstUse(string nonce, DateTimeOffset now)
    {
        if (_seen.Count > MaxRemembered)
        {
            foreach (var old in _seen.Where(e => now - e.Value > MaxAge * 2))
            {
                _seen.TryRemove(old);
            }

            if (_seen.Count > MaxRemembered)
            {
                return false;
            }
        }

        return _seen.TryAdd(nonce, now);
    }
}
