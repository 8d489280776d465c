using System.Buffers;

namespace Telephony.MediaNode.Presence;

/// <summary>
/// &lt;Client&gt;&lt;Parameter name value/&gt; as SIP headers, the way Twilio's SIP interface carries custom data:
/// <c>X-name: value</c>. Names must be SIP tokens (others are dropped), values lose CR/LF; at most
/// <see cref="ClientCallRouter.MaxCustomParameters"/> of them, cut to the same lengths as a client call's parameters.
/// </summary>
public static class ClientParameterHeaders
{
    public const string Prefix = "X-";

    private static readonly SearchValues<char> Token =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~");

    public static IReadOnlyList<KeyValuePair<string, string>> From(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in parameters)
        {
            if (headers.Count == ClientCallRouter.MaxCustomParameters)
            {
                break;
            }

            var header = name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? name : Prefix + name;
            if (header.Length > ClientCallRouter.MaxParameterNameLength || header.Length == Prefix.Length || header.AsSpan().ContainsAnyExcept(Token))
            {
                continue;
            }

            var clean = value.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Trim();
            headers.Add(new(header, clean.Length <= ClientCallRouter.MaxParameterValueLength ? clean : clean[..ClientCallRouter.MaxParameterValueLength]));
        }

        return headers;
    }

    /// <summary>The X- headers of a relayed INVITE, passed on to the client unchanged.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Of(Telephony.Sip.Messages.SipRequest invite)
    {
        ArgumentNullException.ThrowIfNull(invite);
        return [.. invite.Headers
            .Where(h => h.Name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            .Take(ClientCallRouter.MaxCustomParameters)
            .Select(h => new KeyValuePair<string, string>(h.Name, h.Value))];
    }
}
