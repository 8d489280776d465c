using System.Security.Cryptography;
using System.Text;

namespace Telephony.Core.Tokens;

/// <summary>
/// Encrypts API key secrets at rest (AES-256-GCM, key derived with HKDF from the platform setting
/// <c>Telephony:SecretsKey</c>), so AccessToken HMACs can be verified without the secret ever being
/// stored in clear. The sealed value is bound to its account and key sid (associated data), so it
/// cannot be copied onto another key's row. Without a platform key nothing is sealed and keys cannot sign tokens.
/// </summary>
public sealed class SecretSealer
{
    public const string Setting = "Telephony:SecretsKey";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[]? _key;

    public SecretSealer(string? platformKey)
    {
        _key = string.IsNullOrEmpty(platformKey)
            ? null
            : HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(platformKey), 32, info: "telephony api key secrets v1"u8.ToArray());
    }

    public bool IsConfigured => _key is not null;

    /// <summary>nonce | tag | ciphertext, or null when no platform key is configured.</summary>
    public byte[]? Seal(string secret, string accountSid, string keySid)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (_key is null)
        {
            return null;
        }

        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedValue = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedValue.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedValue.AsSpan(NonceSize + TagSize), sealedValue.AsSpan(NonceSize, TagSize), Binding(accountSid, keySid));
        return sealedValue;
    }

    /// <summary>The secret, or null when it cannot be opened (no platform key, another platform key, or a value moved between rows).</summary>
    public string? Open(ReadOnlySpan<byte> sealedValue, string accountSid, string keySid)
    {
        if (_key is null || sealedValue.Length < NonceSize + TagSize)
        {
            return null;
        }

        var plain = new byte[sealedValue.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        try
        {
            aes.Decrypt(sealedValue[..NonceSize], sealedValue[(NonceSize + TagSize)..], sealedValue.Slice(NonceSize, TagSize), plain, Binding(accountSid, keySid));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Binding(string accountSid, string keySid) => Encoding.ASCII.GetBytes(accountSid + "/" + keySid);
}
