using Telephony.Core.Nodes;
using Telephony.Core.Presence;
using Telephony.MediaNode.Dialing;
using Telephony.MediaNode.Work;
using Telephony.Sip.Messages;
using Telephony.Sip.Transport;

namespace Telephony.MediaNode.Presence;

/// <summary>How one registration is reached from this node: directly over its flow, or through the node that holds it.</summary>
public sealed record ClientRoute(DialRoute Route, IReadOnlyList<KeyValuePair<string, string>> Headers);

/// <summary>
/// Turns a presence row into the INVITE's route. A registration on this node is rung at its Contact over the flow its
/// REGISTER came on (for TCP, that connection). One on another node is sent to that node's SIP address (nodes table)
/// with a signed <see cref="RelaySignature.Header"/>; the owning node relays it to its client (<see cref="ClientRelay"/>).
/// </summary>
public sealed class ClientRoutes(NodeIdentity node, NodeStore nodes, RelaySignature signature, ILogger<ClientRoutes> logger)
{
    /// <summary>The route, or null when the registration cannot be reached (its node is gone, or relays are not signed).</summary>
    public async Task<ClientRoute?> RouteAsync(PresenceRegistration registration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.NodeId == node.Id)
        {
            return Direct(registration) is { } direct ? new ClientRoute(direct, []) : null;
        }

        var owner = await nodes.GetAsync(registration.NodeId, cancellationToken);
        if (owner is null || owner.State == NodeState.Stopped || !SipEndPoint.TryParse(owner.Address, out var address))
        {
            logger.LogInformation("Client {Identity} of {AccountSid}: node {NodeId} holding a registration is gone", registration.Identity, registration.AccountSid, registration.NodeId);
            return null;
        }

        var header = signature.Sign(new RelayClaims(registration.AccountSid, registration.Identity, registration.RegistrationId));
        if (header is null)
        {
            logger.LogWarning("Client {Identity} of {AccountSid} is on node {NodeId}, but this node has no node key to relay with", registration.Identity, registration.AccountSid, registration.NodeId);
            return null;
        }

        var host = address.Address.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address.Address.Address}]" : address.Address.Address.ToString();
        var target = SipUri.Create(Uri.EscapeDataString(registration.Identity), host, address.Address.Port);
        if (address.Transport == SipTransportKind.Tcp)
        {
            target.Parameters.Set("transport", "tcp");
        }

        return new ClientRoute(new DialRoute(target, null) { Flow = address }, [new(RelaySignature.Header, header)]);
    }

    /// <summary>This node's own registration: its Contact, sent over the flow it registered from (else the Contact's host).</summary>
    public static DialRoute? Direct(PresenceRegistration registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (!SipUri.TryParse(registration.ContactUri, out var contact) || !contact.IsSip)
        {
            return null;
        }

        SipEndPoint? flow = registration.ReceivedFrom is { } text && SipEndPoint.TryParse(text, out var parsed) ? parsed : null;
        return new DialRoute(contact, null) { Flow = flow };
    }
}
