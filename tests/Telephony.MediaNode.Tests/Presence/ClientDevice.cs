using System.Globalization;
using System.Net;
using Telephony.Sip.Messages;
using Telephony.Sip.Transactions;
using Telephony.Sip.Transport;

namespace Telephony.MediaNode.Tests.Presence;

/// <summary>
/// A client app's phone: a real <see cref="FarEnd"/> (answers, rings forever or rejects by the called user, records
/// what it hears, sends a tone) that REGISTERs at a node with <c>Authorization: Bearer &lt;AccessToken&gt;</c>, its
/// Contact being <c>sip:identity@127.0.0.1:port</c>. It sees every INVITE it gets.
/// </summary>
public sealed class ClientDevice : IAsyncDisposable
{
    private readonly string _callId = Guid.NewGuid().ToString("N");
    private readonly string _tag = SipStack.NewTag();
    private long _sequence;

    /// <param name="tcp">The phone also takes SIP over TCP (to register over TCP).</param>
    public ClientDevice(string identity, bool tcp = false)
    {
        Identity = identity;
        Phone = new FarEnd(tcp: tcp);
        Phone.Agent.IncomingCall += call => Invites.Enqueue(call.Invite!);
    }

    public string Identity { get; }

    public FarEnd Phone { get; }

    public System.Collections.Concurrent.ConcurrentQueue<SipRequest> Invites { get; } = new();

    /// <summary>REGISTERs at the node's UDP port; returns the final status.</summary>
    public Task<int> RegisterAsync(int nodeSipPort, string token, int expires = 300) =>
        RegisterAsync(SipTransportKind.Udp, nodeSipPort, token, $"sip:{Identity}@127.0.0.1:{Phone.Port.ToString(CultureInfo.InvariantCulture)}", expires);

    /// <summary>REGISTERs over <paramref name="transport"/> with the given Contact (one nobody listens at stands for a client behind NAT).</summary>
    public async Task<int> RegisterAsync(SipTransportKind transport, int nodeSipPort, string token, string contact, int expires = 300)
    {
        var aor = SipUri.Create(Identity, "127.0.0.1", nodeSipPort);
        var request = new SipRequest(SipMethods.Register, SipUri.Create(null, "127.0.0.1", nodeSipPort));
        request.Headers.Add(HeaderNames.From, $"<{aor}>;tag={_tag}");
        request.Headers.Add(HeaderNames.To, $"<{aor}>");
        request.Headers.Add(HeaderNames.CallId, _callId);
        request.Headers.Add(HeaderNames.CSeq, $"{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)} REGISTER");
        request.Headers.Add(HeaderNames.Contact, $"<{contact}>");
        request.Headers.Add(HeaderNames.Expires, expires.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(HeaderNames.Authorization, "Bearer " + token);
        var final = new TaskCompletionSource<SipResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Phone.Agent.Stack.SendRequest(request, new SipEndPoint(transport, new IPEndPoint(IPAddress.Loopback, nodeSipPort)), r =>
        {
            if (!r.IsProvisional)
            {
                final.TrySetResult(r);
            }
        });
        return (await final.Task.WaitAsync(TimeSpan.FromSeconds(30))).StatusCode;
    }

    public ValueTask DisposeAsync() => Phone.DisposeAsync();
}
