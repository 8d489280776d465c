using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Telephony.Sip.Core;
using Telephony.Sip.Dialogs;
using Telephony.Sip.Messages;
using Telephony.Sip.Pacing;
using Telephony.Sip.Rtp;
using Telephony.Sip.Sdp;
using Telephony.Sip.Transactions;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Calls;

/// <summary>
/// The user-agent facade the media node uses: place calls, take incoming ones, answer OPTIONS and REGISTER,
/// and route in-dialog requests to their call. Owns the SIP stack, the transports and the RTP pacer.
/// </summary>
public sealed class SipUserAgent : ISipTransactionUser, ICallHost, IAsyncDisposable
{
    private static readonly HashSet<string> KnownButNotAllowed =
        [SipMethods.Subscribe, SipMethods.Notify, SipMethods.Refer, SipMethods.Message, SipMethods.Update, SipMethods.Prack];

    private readonly ConcurrentDictionary<string, SipCall> _dialogs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ServerInviteTransaction, SipCall> _pendingInbound = new();
    private readonly SipUserAgentOptions _options;
    private readonly RtpPacer? _pacer;
    private readonly AsyncRequestResponder? _registerResponder;

    public SipUserAgent(SipUserAgentOptions options)
    {
        _options = options;
        Stack = new SipStack(options.Stack);
        Logger = options.Stack.LoggerFactory.CreateLogger<SipUserAgent>();
        try
        {
            foreach (var endPoint in options.Listen)
            {
                Stack.Listen(endPoint);
            }
        }
        catch
        {
            // A later bind failed: release the sockets already bound before reporting it.
            Stack.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        if (options.Media is not null)
        {
            _pacer = new RtpPacer(options.Pacer, options.Stack.LoggerFactory.CreateLogger<RtpPacer>());
        }

        if (options.RegisterHandler is { } registerHandler)
        {
            _registerResponder = new AsyncRequestResponder(Stack, registerHandler, Math.Max(1, options.MaxPendingRegisters), Logger);
        }

        Stack.Start(this);
    }

    public SipStack Stack { get; }

    public ILogger Logger { get; }

    /// <summary>Raised for each new incoming INVITE. Handlers call Ring/Progress/Answer/Reject on the call.</summary>
    public event Action<SipCall>? IncomingCall;

    public int ActiveCallCount => _dialogs.Values.Distinct().Count();

    /// <summary>First listening end point of a transport kind (for tests and for advertising).</summary>
    public SipEndPoint LocalEndPoint(SipTransportKind kind = SipTransportKind.Udp)
    {
        var transport = Stack.Transports.First(t => t.Kind == kind);
        return new SipEndPoint(kind, transport.LocalEndPoint);
    }

    /// <summary>Places a call: INVITE with an SDP offer; events report ringing, early media, answer and the end.</summary>
    public SipCall Call(CallRequest request) => SipCall.PlaceOutbound(this, request);

    /// <summary>OPTIONS ping (keep-alive, capability query). Returns the final response (408 on timeout).</summary>
    public Task<SipResponse> SendOptionsAsync(SipUri target)
    {
        var destination = Resolve(target);
        var request = new SipRequest(SipMethods.Options, target);
        var contact = LocalContact(destination);
        request.Headers.Add(HeaderNames.From, $"{new NameAddress(contact.Uri.WithoutHeadersAndParameters())};tag={SipStack.NewTag()}");
        request.Headers.Add(HeaderNames.To, new NameAddress(target).ToString());
        request.Headers.Add(HeaderNames.CallId, Guid.NewGuid().ToString("N"));
        request.Headers.Add(HeaderNames.CSeq, "1 OPTIONS");
        request.Headers.Add(HeaderNames.Contact, contact.ToString());
        var result = new TaskCompletionSource<SipResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        Stack.SendRequest(request, destination, r =>
        {
            if (!r.IsProvisional)
            {
                result.TrySetResult(r);
            }
        });
        return result.Task;
    }

    void ISipTransactionUser.OnRequest(ServerTransaction transaction)
    {
        var request = transaction.Request;
        if (_options.Policy.Check(request) is { } rejection)
        {
            transaction.Respond(rejection);
            return;
        }

        if (request.Method == SipMethods.Register)
        {
            if (_registerResponder is not null)
            {
                _registerResponder.Respond(transaction);
                return;
            }

            transaction.Respond(_options.Registrar?.Handle(request) ?? NotAllowed(request));
            return;
        }

        if (request.To?.Tag is { } toTag)
        {
            if (_dialogs.TryGetValue(Key(request.CallId!, toTag, request.From?.Tag), out var call))
            {
                call.OnInDialogRequest(transaction);
            }
            else
            {
                transaction.Respond(SipResponses.Create(request, 481));
            }

            return;
        }

        switch (request.Method)
        {
            case SipMethods.Invite:
                OnNewInvite((ServerInviteTransaction)transaction);
                return;
            case SipMethods.Options:
                var ok = SipResponses.Create(request, 200, toTag: SipStack.NewTag());
                ok.Headers.Add(HeaderNames.Allow, _options.Policy.AllowHeader);
                ok.Headers.Add(HeaderNames.Accept, "application/sdp");
                ok.Headers.Add(HeaderNames.Supported, string.Join(", ", _options.Policy.SupportedExtensions));
                transaction.Respond(ok);
                return;
            case SipMethods.Bye or SipMethods.Info:
                transaction.Respond(SipResponses.Create(request, 481));
                return;
            default:
                transaction.Respond(KnownButNotAllowed.Contains(request.Method) ? NotAllowed(request) : SipResponses.Create(request, 501));
                return;
        }
    }

    private SipResponse NotAllowed(SipRequest request)
    {
        var response = SipResponses.Create(request, 405);
        response.Headers.Add(HeaderNames.Allow, _options.Policy.AllowHeader);
        return response;
    }

    private void OnNewInvite(ServerInviteTransaction transaction)
    {
        var call = SipCall.AcceptIncoming(this, transaction);
        _pendingInbound[transaction] = call;
        call.Completion.ContinueWith(_ => _pendingInbound.TryRemove(transaction, out SipCall? _), TaskScheduler.Default);
        call.Answered += _ => _pendingInbound.TryRemove(transaction, out SipCall? _);
        if (call.HasUnreadableOffer)
        {
            call.Reject(488);
            return;
        }

        var handlers = IncomingCall;
        if (handlers is null)
        {
            call.Reject(480);
            return;
        }

        Logger.LogDebug("Incoming call {CallId} from {From}", call.CallId, transaction.Request.From?.Uri);
        ThreadPool.UnsafeQueueUserWorkItem(_ => handlers(call), null);
    }

    void ISipTransactionUser.OnAck(SipRequest ack, SipEndPoint remote)
    {
        if (ack.To?.Tag is { } toTag && _dialogs.TryGetValue(Key(ack.CallId!, toTag, ack.From?.Tag), out var call))
        {
            call.OnAck(ack);
        }
    }

    void ISipTransactionUser.OnCancel(ServerInviteTransaction invite, SipRequest cancel)
    {
        if (_pendingInbound.TryGetValue(invite, out var call))
        {
            call.OnCanceled();
        }
        else
        {
            invite.Respond(SipResponses.Create(invite.Request, 487));
        }
    }

    void ISipTransactionUser.OnStrayResponse(SipResponse response, SipEndPoint remote)
    {
        if (response.IsSuccess && response.CSeq?.Method == SipMethods.Invite && response.From?.Tag is { } fromTag &&
            _dialogs.TryGetValue(Key(response.CallId!, fromTag, response.To?.Tag), out var call))
        {
            call.OnStraySuccess(response);
        }
    }

    void ISipTransactionUser.OnAckTimeout(ServerInviteTransaction invite) =>
        Logger.LogDebug("No ACK for the final response to {CallId}", invite.Request.CallId);

    NameAddress ICallHost.LocalContact(SipEndPoint towards) => LocalContact(towards);

    private NameAddress LocalContact(SipEndPoint towards)
    {
        var transport = Stack.FindTransport(towards.Transport, towards.Address.AddressFamily)
            ?? Stack.Transports[0];
        var hostPort = Stack.LocalHostPort(transport);
        var uri = SipUri.Parse($"sip:{_options.User}@{hostPort}");
        if (transport.Kind == SipTransportKind.Tcp)
        {
            uri.Parameters.Set("transport", "tcp");
        }

        return new NameAddress(uri);
    }

    /// <summary>URI → end point: IP literals directly, names through DNS (A/AAAA; no SRV), default port 5060.</summary>
    public SipEndPoint Resolve(SipUri uri)
    {
        var host = uri.Parameters["maddr"] ?? uri.Host;
        var kind = string.Equals(uri.Parameters["transport"], "tcp", StringComparison.OrdinalIgnoreCase) ? SipTransportKind.Tcp : SipTransportKind.Udp;
        if (!IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            address = Dns.GetHostAddresses(host).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
        }

        return new SipEndPoint(kind, new IPEndPoint(address, uri.Port ?? 5060));
    }

    void ICallHost.Track(SipCall call)
    {
        if (call.DialogId is DialogId id)
        {
            _dialogs[Key(id.CallId, id.LocalTag, id.RemoteTag)] = call;
        }
    }

    void ICallHost.Forget(SipCall call)
    {
        foreach (var entry in _dialogs)
        {
            if (ReferenceEquals(entry.Value, call))
            {
                _dialogs.TryRemove(entry);
            }
        }
    }

    RtpSession? ICallHost.OpenMedia() => _options.Media is null ? null : RtpSession.Open(_options.Media, Logger);

    void ICallHost.StartMedia(RtpSession session)
    {
        if (_pacer is not null)
        {
            session.Start(_pacer);
        }
    }

    LocalMediaOptions ICallHost.LocalMedia(RtpSession? session, IReadOnlyList<AudioCodec>? codecs, SdpDirection direction) => new()
    {
        Address = session?.LocalEndPoint.Address is { } bound && !bound.Equals(IPAddress.Any) ? bound : _options.Stack.AdvertisedAddress ?? IPAddress.Loopback,
        Port = session?.LocalEndPoint.Port ?? 9,
        Codecs = codecs ?? _options.Codecs,
        Direction = direction,
    };

    private static string Key(string callId, string localTag, string? remoteTag) => $"{callId}\n{localTag}\n{remoteTag}";

    public async ValueTask DisposeAsync()
    {
        foreach (var call in _dialogs.Values.Distinct().ToList())
        {
            call.Hangup();
        }

        _registerResponder?.Dispose();
        await Stack.DisposeAsync();
        _pacer?.Dispose();
    }
}
