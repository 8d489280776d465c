using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Telephony.Sip.Core;
using Telephony.Sip.Messages;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transactions;

/// <summary>
/// Transport + transaction layers: frames and validates incoming bytes, answers malformed requests statelessly,
/// stamps received/rport (RFC 3581), matches retransmissions to transactions and hands the rest to the TU.
/// </summary>
public sealed class SipStack : ITransactionEnvironment, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SipTransaction> _transactions = new();
    private readonly List<ISipTransport> _transports = [];
    private readonly ILogger _logger;
    private ISipTransactionUser? _user;

    public SipStack(SipStackOptions? options = null)
    {
        Options = options ?? new SipStackOptions();
        Scheduler = new SipTimerScheduler(Options.Time);
        _logger = Options.LoggerFactory.CreateLogger<SipStack>();
        RateLimiter = new SourceRateLimiter(Options.Time, Options.MaxMessagesPerSecondPerSource);
    }

    public SipStackOptions Options { get; }

    public SipTimerScheduler Scheduler { get; }

    public SipTimers Timers => Options.Timers;

    public SourceRateLimiter RateLimiter { get; }

    public int TransactionCount => _transactions.Count;

    public IReadOnlyList<ISipTransport> Transports => _transports;

    /// <summary>Binds a UDP or TCP listener (port 0 picks a free one).</summary>
    public ISipTransport Listen(SipEndPoint endPoint)
    {
        ISipTransport transport = endPoint.Transport == SipTransportKind.Udp
            ? new UdpSipTransport(endPoint.Address, Options.LoggerFactory.CreateLogger<UdpSipTransport>(), RateLimiter)
            : new TcpSipTransport(endPoint.Address, Options.LoggerFactory.CreateLogger<TcpSipTransport>(), Options.Time);
        _transports.Add(transport);
        if (_user is not null)
        {
            transport.Start(OnData);
        }

        return transport;
    }

    public void Start(ISipTransactionUser user)
    {
        _user = user;
        foreach (var transport in _transports)
        {
            transport.Start(OnData);
        }
    }

    public ISipTransport? FindTransport(SipTransportKind kind, AddressFamily family) =>
        _transports.FirstOrDefault(t => t.Kind == kind && t.LocalEndPoint.AddressFamily == family)
        ?? _transports.FirstOrDefault(t => t.Kind == kind);

    /// <summary>host:port to advertise for a transport (Via sent-by, Contact).</summary>
    public string LocalHostPort(ISipTransport transport)
    {
        var address = transport.LocalEndPoint.Address;
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            address = Options.AdvertisedAddress ?? IPAddress.Loopback;
        }

        var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return $"{host}:{transport.LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    public static string NewBranch() => ViaHeader.MagicCookie + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();

    public static string NewTag() => Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    /// <summary>Starts a client transaction; adds our Via (new branch) and applies the §18.1.1 size rule.</summary>
    public ClientTransaction SendRequest(SipRequest request, SipEndPoint destination, Action<SipResponse> onResponse)
    {
        destination = PrepareRequest(request, destination, newBranch: true);
        var branch = request.TopVia!.Branch!;
        var method = request.Method;
        ClientTransaction transaction = method == SipMethods.Invite
            ? new ClientInviteTransaction(TransactionKeys.Client(branch, method), request, destination, this, onResponse)
            : new ClientNonInviteTransaction(TransactionKeys.Client(branch, method), request, destination, this, onResponse);
        _transactions[transaction.Key] = transaction;
        transaction.Start();
        return transaction;
    }

    /// <summary>
    /// CANCEL for a pending INVITE (§9.1): same Request-URI, Call-ID, From, To, CSeq number, top Via branch and Route.
    /// </summary>
    public ClientTransaction SendCancel(ClientInviteTransaction invite, Action<SipResponse> onResponse)
    {
        var source = invite.Request;
        var cancel = new SipRequest(SipMethods.Cancel, source.Uri);
        cancel.Headers.Add(HeaderNames.Via, source.Headers.GetValues(HeaderNames.Via)[0]);
        foreach (var route in source.Headers.GetValues(HeaderNames.Route))
        {
            cancel.Headers.Add(HeaderNames.Route, route);
        }

        cancel.Headers.Add(HeaderNames.MaxForwards, "70");
        cancel.Headers.Add(HeaderNames.From, source.Headers.Get(HeaderNames.From)!);
        cancel.Headers.Add(HeaderNames.To, source.Headers.Get(HeaderNames.To)!);
        cancel.Headers.Add(HeaderNames.CallId, source.CallId!);
        cancel.Headers.Add(HeaderNames.CSeq, new CSeqHeader(source.CSeq!.Value.Number, SipMethods.Cancel).ToString());
        var transaction = new ClientNonInviteTransaction(
            TransactionKeys.Client(cancel.TopVia!.Branch!, SipMethods.Cancel), cancel, invite.Remote, this, onResponse);
        _transactions[transaction.Key] = transaction;
        transaction.Start();
        return transaction;
    }

    /// <summary>Sends without a transaction (ACK for 2xx, stateless responses). Requests get a Via if they have none.</summary>
    public void SendStateless(SipMessage message, SipEndPoint destination)
    {
        if (message is SipRequest request)
        {
            destination = PrepareRequest(request, destination, newBranch: request.TopVia is null);
        }

        Send(SipSerializer.Serialize(message), destination, null);
    }

    private SipEndPoint PrepareRequest(SipRequest request, SipEndPoint destination, bool newBranch)
    {
        if (!request.Headers.Contains(HeaderNames.MaxForwards))
        {
            request.Headers.Add(HeaderNames.MaxForwards, "70");
        }

        if (newBranch)
        {
            var size = SipSerializer.Serialize(request).Length + 100;
            if (destination.Transport == SipTransportKind.Udp && size > Options.UdpSizeLimit &&
                FindTransport(SipTransportKind.Tcp, destination.Address.AddressFamily) is not null)
            {
                destination = destination with { Transport = SipTransportKind.Tcp };
            }

            var transport = FindTransport(destination.Transport, destination.Address.AddressFamily)
                ?? throw new InvalidOperationException($"no {destination.TransportName} transport");
            request.Headers.AddFirst(HeaderNames.Via, $"SIP/2.0/{destination.TransportName} {LocalHostPort(transport)};branch={NewBranch()};rport");
        }

        return destination;
    }

    void ITransactionEnvironment.Send(byte[] message, SipEndPoint destination, Action<Exception>? onError) => Send(message, destination, onError);

    private void Send(byte[] message, SipEndPoint destination, Action<Exception>? onError)
    {
        var transport = FindTransport(destination.Transport, destination.Address.AddressFamily);
        if (transport is null)
        {
            onError?.Invoke(new InvalidOperationException($"no {destination.TransportName} transport"));
            return;
        }

        _ = SendCoreAsync(transport, message, destination, onError);
    }

    private async Task SendCoreAsync(ISipTransport transport, byte[] message, SipEndPoint destination, Action<Exception>? onError)
    {
        try
        {
            await transport.SendAsync(message, destination.Address);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            _logger.LogDebug("Send to {Destination} failed: {Reason}", destination, exception.Message);
            onError?.Invoke(exception);
        }
    }

    void ITransactionEnvironment.OnTerminated(SipTransaction transaction) =>
        _transactions.TryRemove(new KeyValuePair<string, SipTransaction>(transaction.Key, transaction));

    /// <summary>Entry point for bytes from any transport (also used by tests to inject messages).</summary>
    public void OnData(ReadOnlySpan<byte> data, SipEndPoint remote, SipEndPoint local)
    {
        var parsed = SipParser.ParseDatagram(data);
        switch (parsed.Message)
        {
            case null:
                return;
            case SipResponse response:
                if (parsed.Error is null && SipMessageValidator.Validate(response) is null)
                {
                    OnResponse(response, remote);
                }

                return;
            case SipRequest request:
                var error = parsed.Error ?? SipMessageValidator.Validate(request);
                if (error is { } invalid)
                {
                    RejectMalformed(request, invalid, remote);
                    return;
                }

                request.Source = remote;
                StampReceived(request, remote);
                OnRequest(request, remote);
                return;
        }
    }

    private void OnResponse(SipResponse response, SipEndPoint remote)
    {
        if (TransactionKeys.ForClient(response) is { } key && _transactions.TryGetValue(key, out var transaction) &&
            transaction is ClientTransaction client)
        {
            client.ReceiveResponse(response);
            return;
        }

        _user?.OnStrayResponse(response, remote);
    }

    private void OnRequest(SipRequest request, SipEndPoint remote)
    {
        var key = TransactionKeys.ForServer(request);
        if (key is null || _user is null)
        {
            return;
        }

        if (request.Method == SipMethods.Ack)
        {
            if (_transactions.TryGetValue(key, out var existing) && existing is ServerInviteTransaction invite && !invite.ReceiveAck())
            {
                return;
            }

            _user.OnAck(request, remote);
            return;
        }

        if (_transactions.TryGetValue(key, out var match) && match is ServerTransaction server)
        {
            server.ReceiveRetransmission();
            return;
        }

        ServerTransaction created = request.Method == SipMethods.Invite
            ? new ServerInviteTransaction(key, request, ResponseTarget(request, remote), this, _user.OnAckTimeout)
            : new ServerNonInviteTransaction(key, request, ResponseTarget(request, remote), this);
        if (!_transactions.TryAdd(key, created))
        {
            return;
        }

        if (request.Method == SipMethods.Cancel)
        {
            OnCancel(request, (ServerNonInviteTransaction)created);
            return;
        }

        if (created is ServerInviteTransaction)
        {
            // Immediate 100 Trying stops the caller's INVITE retransmissions.
            created.Respond(SipResponses.Create(request, 100));
        }

        _user.OnRequest(created);
    }

    private void OnCancel(SipRequest cancel, ServerNonInviteTransaction transaction)
    {
        var inviteKey = TransactionKeys.ForServer(cancel, SipMethods.Invite);
        if (inviteKey is not null && _transactions.TryGetValue(inviteKey, out var match) &&
            match is ServerInviteTransaction invite && invite.State == TransactionState.Proceeding)
        {
            transaction.Respond(SipResponses.Create(cancel, 200));
            _user!.OnCancel(invite, cancel);
            return;
        }

        transaction.Respond(SipResponses.Create(cancel, 481));
    }

    private void RejectMalformed(SipRequest request, SipError error, SipEndPoint remote)
    {
        if (request.Method == SipMethods.Ack || request.TopVia is null)
        {
            return;
        }

        var response = SipResponses.Create(request, error.StatusCode, error.StatusCode == 400 ? error.Reason : null);
        if (!response.Headers.Contains(HeaderNames.To) || !response.Headers.Contains(HeaderNames.CallId) || !response.Headers.Contains(HeaderNames.From))
        {
            return;
        }

        StampReceived(request, remote);
        response.Headers.Remove(HeaderNames.Via);
        foreach (var via in request.Headers.GetValues(HeaderNames.Via))
        {
            response.Headers.Add(HeaderNames.Via, via);
        }

        Send(SipSerializer.Serialize(response), ResponseTarget(request, remote), null);
    }

    /// <summary>§18.2.1 and RFC 3581: record the source address and port in the top Via.</summary>
    private static void StampReceived(SipRequest request, SipEndPoint remote)
    {
        if (request.TopVia is not { } via)
        {
            return;
        }

        var sourceIp = remote.Address.Address.IsIPv4MappedToIPv6 ? remote.Address.Address.MapToIPv4() : remote.Address.Address;
        var changed = false;
        if (!string.Equals(via.Host.Trim('[', ']'), sourceIp.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            via.Received = sourceIp.ToString();
            changed = true;
        }

        if (via.HasRport)
        {
            via.Rport = remote.Address.Port;
            via.Received = sourceIp.ToString();
            changed = true;
        }

        if (changed)
        {
            request.Headers.RemoveFirstValue(HeaderNames.Via);
            request.Headers.AddFirst(HeaderNames.Via, via.ToString());
        }
    }

    /// <summary>§18.2.2: reliable → back on the connection; otherwise received/rport, else sent-by.</summary>
    private static SipEndPoint ResponseTarget(SipRequest request, SipEndPoint remote)
    {
        if (remote.IsReliable || request.TopVia is not { } via)
        {
            return remote;
        }

        if (via.Rport is int rport)
        {
            return remote with { Address = new IPEndPoint(remote.Address.Address, rport) };
        }

        var address = via.Received is { } received && IPAddress.TryParse(received, out var ip)
            ? ip
            : IPAddress.TryParse(via.Host.Trim('[', ']'), out var host) ? host : remote.Address.Address;
        return remote with { Address = new IPEndPoint(address, via.Port ?? 5060) };
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var transport in _transports)
        {
            await transport.DisposeAsync();
        }

        Scheduler.Dispose();
    }
}
