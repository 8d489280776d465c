using Microsoft.Extensions.Logging;
using Telephony.Sip.Dialogs;
using Telephony.Sip.Dtmf;
using Telephony.Sip.Messages;
using Telephony.Sip.Rtp;
using Telephony.Sip.Sdp;
using Telephony.Sip.Transactions;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Calls;

/// <summary>
/// One INVITE session (RFC 3261 §13–15) in either direction, with its dialog and RTP leg. Events are raised on the
/// thread pool, never under the call's lock. Partial files hold the outbound, inbound and in-dialog halves.
/// </summary>
public sealed partial class SipCall : IAsyncDisposable
{
    private readonly ICallHost _host;
    private readonly Lock _sync = new();
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<CallEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SipDialog? _dialog;
    private SessionDescription? _localSdp;
    private SdpDirection _localDirection = SdpDirection.SendRecv;
    private int _mediaStarted;

    private SipCall(ICallHost host, CallDirection direction, SipEndPoint remote, RtpSession? media)
    {
        _host = host;
        Direction = direction;
        Remote = remote;
        Media = media;
    }

    public CallDirection Direction { get; }

    public CallState State { get; private set; } = CallState.Trying;

    public string CallId { get; private set; } = string.Empty;

    /// <summary>Where signaling goes (first hop).</summary>
    public SipEndPoint Remote { get; private set; }

    public DialogId? DialogId => _dialog?.Id;

    public NameAddress? RemoteParty => _dialog?.RemoteParty;

    /// <summary>The INVITE that started the call (ours or theirs).</summary>
    public SipRequest? Invite { get; private set; }

    public RtpSession? Media { get; }

    public NegotiatedAudio? Audio { get; private set; }

    /// <summary>True while the peer holds us (their last offer was sendonly/inactive).</summary>
    public bool IsHeldByPeer => Audio?.IsHeldByPeer ?? false;

    public CallEnd? End { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    /// <summary>Completes when the call is answered; faults never, cancels if it ends unanswered.</summary>
    public Task WhenAnswered => _answered.Task;

    public Task<CallEnd> Completion => _ended.Task;

    public event Action<SipCall, SipResponse>? Ringing;

    /// <summary>183 with SDP: media flows before answer.</summary>
    public event Action<SipCall>? EarlyMedia;

    public event Action<SipCall>? Answered;

    public event Action<SipCall, char>? DtmfReceived;

    public event Action<SipCall, CallEnd>? Ended;

    /// <summary>The peer sent a re-INVITE (hold, unhold, session refresh) that we accepted.</summary>
    public event Action<SipCall>? Reinvited;

    /// <summary>Hang up: BYE when answered, CANCEL while ringing out, 486 while ringing in.</summary>
    public void Hangup()
    {
        if (Direction == CallDirection.Outbound)
        {
            lock (_sync)
            {
                if (State is CallState.Trying or CallState.Early)
                {
                    RequestCancelLocked(CallEndCause.Canceled);
                    return;
                }
            }
        }
        else
        {
            lock (_sync)
            {
                if (State is CallState.Trying or CallState.Early)
                {
                    RejectLocked(486, CallEndCause.Rejected);
                    return;
                }
            }
        }

        SendBye(CallEndCause.LocalHangup, 200, "Hangup");
    }

    /// <summary>DTMF out: RFC 4733 events when negotiated, else SIP INFO (application/dtmf-relay).</summary>
    public void SendDtmf(string digits)
    {
        if (Media is not null && Audio?.TelephoneEventPayloadType is not null)
        {
            Media.SendDigits(digits);
            return;
        }

        foreach (var digit in digits.Where(DtmfEvents.IsDigit))
        {
            SendInDialog(SipMethods.Info, request =>
                request.SetBody(System.Text.Encoding.ASCII.GetBytes($"Signal={digit}\r\nDuration=160\r\n"), "application/dtmf-relay"));
        }
    }

    private void SendBye(CallEndCause cause, int status, string reason)
    {
        lock (_sync)
        {
            if (State != CallState.Answered || _dialog is null)
            {
                return;
            }
        }

        SendInDialog(SipMethods.Bye, _ => { });
        Finish(status, reason, cause);
    }

    /// <summary>Sends a request inside the dialog (new client transaction) and returns it.</summary>
    private ClientTransaction? SendInDialog(string method, Action<SipRequest> customize, Action<SipResponse>? onResponse = null)
    {
        SipRequest request;
        SipEndPoint destination;
        lock (_sync)
        {
            if (_dialog is null)
            {
                return null;
            }

            request = _dialog.CreateRequest(method, _host.LocalContact(Remote));
            destination = _host.Resolve(_dialog.NextHop);
        }

        customize(request);
        return _host.Stack.SendRequest(request, destination, onResponse ?? (_ => { }));
    }

    private void SetDialog(SipDialog dialog)
    {
        _dialog = dialog;
        _host.Track(this);
    }

    private void MarkAnswered()
    {
        State = CallState.Answered;
        AnsweredAt = _host.Stack.Options.Time.GetUtcNow();
        Raise(() =>
        {
            _answered.TrySetResult();
            Answered?.Invoke(this);
        });
    }

    private void ApplyAudio(NegotiatedAudio? audio)
    {
        if (audio is null)
        {
            return;
        }

        Audio = audio;
        if (Media is not null)
        {
            Media.Apply(audio);
            if (Interlocked.Exchange(ref _mediaStarted, 1) == 0)
            {
                _host.StartMedia(Media);
                _ = ForwardDigitsAsync(Media);
            }
        }
    }

    private async Task ForwardDigitsAsync(RtpSession media)
    {
        try
        {
            await foreach (var digit in media.Digits.ReadAllAsync())
            {
                DtmfReceived?.Invoke(this, digit.Digit);
            }
        }
        catch (ObjectDisposedException)
        {
            // Media closed with the call.
        }
    }

    /// <summary>Moves to Ended once; raises Ended and releases media and the dialog entry.</summary>
    private void Finish(int status, string reason, CallEndCause cause)
    {
        CallEnd end;
        lock (_sync)
        {
            if (State == CallState.Ended)
            {
                return;
            }

            var answered = State == CallState.Answered;
            State = CallState.Ended;
            StopRetransmittingOk();
            var twilio = answered ? TwilioCallStatus.Completed : TwilioStatusMapping.ForFailure(status, cause);
            end = new CallEnd(status, reason, cause, twilio, answered);
            End = end;
        }

        _host.Logger.LogDebug("Call {CallId} ended: {Status} {Reason} ({Cause}, {TwilioStatus})", CallId, end.SipStatus, end.Reason, end.Cause, end.TwilioStatus.ToWire());
        _host.Forget(this);
        Raise(() =>
        {
            _answered.TrySetCanceled();
            _ended.TrySetResult(end);
            Ended?.Invoke(this, end);
        });
        if (Media is not null)
        {
            _ = Media.DisposeAsync().AsTask();
        }
    }

    private SessionDescription BuildLocalSdp(IReadOnlyList<AudioCodec>? codecs)
    {
        _localSdp = SdpOfferAnswer.Offer(_host.LocalMedia(Media, codecs, _localDirection));
        return _localSdp;
    }

    private static byte[] SdpBytes(SessionDescription sdp) => System.Text.Encoding.UTF8.GetBytes(SdpWriter.Write(sdp));

    private static SessionDescription? ReadSdp(SipMessage message)
    {
        if (message.Body.IsEmpty || message.ContentType is not { } type || !type.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return SdpParser.TryParse(System.Text.Encoding.UTF8.GetString(message.Body.Span), out var sdp, out _) ? sdp : null;
    }

    private static void Raise(Action action) => ThreadPool.UnsafeQueueUserWorkItem(static a => a(), action, preferLocal: false);

    public async ValueTask DisposeAsync()
    {
        if (State != CallState.Ended)
        {
            Hangup();
        }

        if (Media is not null)
        {
            await Media.DisposeAsync();
        }
    }
}
