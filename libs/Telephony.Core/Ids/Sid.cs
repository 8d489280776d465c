using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Telephony.Core.Ids;

/// <summary>
/// Twilio-style resource identifiers: a two-letter prefix and 32 lowercase hex digits.
/// </summary>
public static class Sid
{
    public const string AccountPrefix = "AC";
    public const string CallPrefix = "CA";
    public const string ApiKeyPrefix = "SK";
    public const int Length = 34;

    /// <summary>A fully random sid (accounts, keys).</summary>
    public static string NewRandom(string prefix)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return prefix + Convert.ToHexStringLower(bytes);
    }

    /// <summary>
    /// A sid whose first 16 hex digits are the inverted creation ticks, so that sorting sids
    /// ordinally lists the newest first; the other 16 digits are random. Calls use it as their
    /// RowKey, which makes both fetch-by-sid and list-newest-first single-range Table queries.
    /// </summary>
    public static string NewTimeOrdered(string prefix, DateTimeOffset created)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, InvertedTicks(created));
        RandomNumberGenerator.Fill(bytes[8..]);
        return prefix + Convert.ToHexStringLower(bytes);
    }

    /// <summary>The smallest time-ordered sid for calls created at or before <paramref name="time"/>.</summary>
    public static string TimeOrderedLowerBound(string prefix, DateTimeOffset time)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, InvertedTicks(time));
        return prefix + Convert.ToHexStringLower(bytes);
    }

    public static bool IsValid(string? value, string prefix)
    {
        if (value is null || value.Length != Length || !value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in value.AsSpan(2))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static long InvertedTicks(DateTimeOffset time) => DateTimeOffset.MaxValue.UtcTicks - time.UtcTicks;
}
