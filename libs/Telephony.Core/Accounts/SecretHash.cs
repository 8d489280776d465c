using System.Security.Cryptography;
using System.Text;

namespace Telephony.Core.Accounts;

/// <summary>
/// Secrets are compared as SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>,
/// so neither the comparison time nor the input length leaks how much of a guess was right.
/// Stored API key secrets are salted digests; the secret itself is never stored.
/// </summary>
public static class SecretHash
{
    public static byte[] Digest(string secret, ReadOnlySpan<byte> salt = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var text = Encoding.UTF8.GetBytes(secret);
        var input = new byte[salt.Length + text.Length];
        salt.CopyTo(input);
        text.CopyTo(input, salt.Length);
        return SHA256.HashData(input);
    }

    public static bool Matches(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(Digest(presented), Digest(expected));

    public static bool Matches(string presented, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> expectedDigest) =>
        CryptographicOperations.FixedTimeEquals(Digest(presented, salt), expectedDigest);
}
