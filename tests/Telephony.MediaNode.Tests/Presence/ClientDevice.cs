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

    public ClientDevice(string identity)
    {
        Identity = identity;
        Phone.Agent.IncomingCall += call => Invites.Enqueue(call.Invite!);
    }

    public string Identity { get; }

    public FarEnd Phone { get; } = new();

    public System.Collections.Concurrent.ConcurrentQueue<SipRequest> Invites { get; } = new();

    /// <summary>REGISTERs at the node's UDP port; returns the final status.</summary>
    public async Task<int> RegisterAsync(int nodeSipPort, string token, int expires = 300)
    {
        var aor = SipUri.Create(Identity, "127.0.0.1", nodeSipPort);
        var request = new SipRequest(SipMethods.Register, SipUri.Create(null, "127.0.0.1", nodeSipPort));
        request.Headers.Add(HeaderNames.From, $"<{aor}>;tag={_tag}");
        request.Headers.Add(HeaderNames.To, $"<{aor}>");
        request.Headers.Add(HeaderNames.CallId, _callId);
        request.Headers.Add(HeaderNames.CSeq, $"{Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture)} REGISTER");
        request.Headers.Add(HeaderNames.Contact, $"<sip:{Identity}@127.0.0.1:{Phone.Port.ToString(CultureInfo.InvariantCulture)}>");
        request.Headers.Add(HeaderNames.Expires, expires.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(HeaderNames.Authorization, "Bearer " + token);
        var final = new TaskCompletionSource<SipResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Phone.Agent.Stack.SendRequest(request, new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, nodeSipPort)), r =>
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
