using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Telephony.Core.Errors;

namespace Telephony.Functions.Nodes;

/// <summary>
/// Checks the shared node key (<c>Telephony:NodeKey</c>) nodes send as <c>Authorization: Bearer &lt;key&gt;</c>.
/// Both sides are hashed first so the fixed-time compare sees equal lengths whatever was sent. With no key
/// configured every node request is refused with 503: the endpoints are never open.
/// </summary>
internal sealed class NodeKeyVerifier
{
    public const string Setting = "Telephony:NodeKey";

    private readonly byte[]? _expectedHash;

    public NodeKeyVerifier(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var key = configuration[Setting];
        _expectedHash = string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));
    }

    /// <summary>Null when the header carries the node key; otherwise the Twilio-shaped refusal.</summary>
    public TwilioError? Check(string? authorization)
    {
        if (_expectedHash is null)
        {
            return new TwilioError(TwilioErrorCodes.Authenticate, $"Node endpoints are disabled: {Setting} is not configured on the functions app", 503);
        }

        if (!AuthenticationHeaderValue.TryParse(authorization, out var value)
            || !value.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrEmpty(value.Parameter))
        {
            return TwilioError.Authenticate();
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(value.Parameter));
        return CryptographicOperations.FixedTimeEquals(presented, _expectedHash) ? null : TwilioError.Authenticate();
    }
}
