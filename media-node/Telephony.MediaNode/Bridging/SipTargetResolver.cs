using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Telephony.Core.Net;
using Telephony.MediaNode.Dialing;
using Telephony.Sip.Auth;
using Telephony.Sip.Messages;
using Telephony.Twiml.Model;

namespace Telephony.MediaNode.Bridging;

/// <summary>
/// &lt;Sip&gt;: the URI is dialled directly, with digest credentials when given. Tenants choose these addresses, so
/// loopback and private ones are refused unless the node allows internal addresses (local runs, tests).
/// </summary>
public sealed class SipTargetResolver(bool allowInternalAddresses, ILogger<SipTargetResolver> logger) : IDialTargetResolver
{
    public bool CanResolve(DialTarget target) => target is DialSip;

    public async ValueTask<IReadOnlyList<DialLegPlan>> ResolveAsync(DialTarget target, CallIdentity parent, string callerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var sip = (DialSip)target;
        var text = sip.Uri.Trim();
        IReadOnlyList<DialRoute> routes = [];
        if (SipUri.TryParse(text, out var uri) && uri.IsSip && await IsAllowedAsync(uri.Host, cancellationToken))
        {
            routes = [new DialRoute(uri.WithoutHeadersAndParameters("transport"), null)];
        }
        else
        {
            logger.LogWarning("Call {CallSid} ({AccountSid}): <Sip>{Uri}</Sip> is not a SIP URI this node may dial", parent.CallSid, parent.AccountSid, text);
        }

        var credentials = sip.Username is { Length: > 0 } user ? new DigestCredentials(user, sip.Password ?? string.Empty) : null;
        return [new DialLegPlan(target, text, callerId, routes) { Credentials = credentials }];
    }

    private async Task<bool> IsAllowedAsync(string host, CancellationToken cancellationToken)
    {
        if (allowInternalAddresses)
        {
            return true;
        }

        var name = host.Trim('[', ']');
        IPAddress[] addresses;
        if (IPAddress.TryParse(name, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(name, cancellationToken);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return addresses.Length > 0 && !addresses.Any(InternalAddresses.IsInternal);
    }
}
