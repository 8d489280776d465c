using Microsoft.Extensions.Logging;
using Telephony.Sip.Auth;
using Telephony.Sip.Dialogs;
using Telephony.Sip.Messages;
using Telephony.Sip.Sdp;
using Telephony.Sip.Transactions;

namespace Telephony.Sip.Calls;

/// <summary>
/// UAC half: INVITE, provisional handling, early media, ACK for 2xx, CANCEL after a provisional, digest retry. Early media
/// (RFC 3960, the gateway model): the SDP answer of any 18x (183 or 180) opens the media before the 2xx; a later 18x or the
/// 2xx with another SDP (another fork, or a carrier's announcement server handing over to the callee) moves the media to it.
/// Provisional responses are unreliable: no 100rel/PRACK (RFC 3262) is offered or needed.
/// </summary>
public sealed partial class SipCall
{
    private CallRequest? _request;
    private ClientInviteTransaction? _inviteTransaction;
    private SipRequest? _ack;
    private CallEndCause? _cancelCause;
    private bool _provisionalSeen;
    private bool _cancelSent;
    private bool _authRetried;
    private ScheduledTimer? _ringTimer;
    private byte[]? _appliedAnswer;

    internal static SipCall PlaceOutbound(ICallHost host, CallRequest request)
    {
        var destination = request.Destination ?? host.Resolve(request.OutboundProxy ?? request.Target);
        var call = new SipCall(host, CallDirection.Outbound, destination, host.OpenMedia()) { _request = request };
        call.CallId = Guid.NewGuid().ToString("N");
        call.SendInvite(sequence: 1, challenge: null);
        return call;
    }

    private void SendInvite(long sequence, SipResponse? challenge)
    {
        var request = _request!;
        var invite = new SipRequest(SipMethods.Invite, request.Target);
        if (request.OutboundProxy is { } proxy)
        {
            var route = proxy.Clone();
            route.Parameters.Set("lr", null);
            invite.Headers.Add(HeaderNames.Route, $"<{route}>");
        }

        var contact = _host.LocalContact(Remote);
        var from = Invite?.From ?? request.From?.Clone() ?? new NameAddress(contact.Uri.WithoutHeadersAndParameters());
        from.Tag ??= SipStack.NewTag();
        invite.Headers.Add(HeaderNames.From, from.ToString());
        invite.Headers.Add(HeaderNames.To, new NameAddress(request.Target.WithoutHeadersAndParameters("user")).ToString());
        invite.Headers.Add(HeaderNames.CallId, CallId);
        invite.Headers.Add(HeaderNames.CSeq, new CSeqHeader(sequence, SipMethods.Invite).ToString());
        invite.Headers.Add(HeaderNames.Contact, contact.ToString());
        invite.Headers.Add(HeaderNames.Allow, CallAllow);
        invite.Headers.Add(HeaderNames.UserAgent, _host.Stack.Options.UserAgent);
        foreach (var (name, value) in request.ExtraHeaders)
        {
            invite.Headers.Add(name, value);
        }

        invite.SetBody(SdpBytes(_localSdp ?? BuildLocalSdp(request.Codecs)), "application/sdp");
        if (challenge is not null && request.Credentials is { } credentials)
        {
            DigestClient.TryAuthorize(invite, challenge, credentials);
        }

        lock (_sync)
        {
            Invite = invite;
            _provisionalSeen = false;
            _inviteTransaction = (ClientInviteTransaction)_host.Stack.SendRequest(invite, Remote, OnInviteResponse);
            _ringTimer ??= _host.Stack.Scheduler.Schedule(request.Timeout, () =>
            {
                lock (_sync)
                {
                    RequestCancelLocked(CallEndCause.Timeout);
                }
            });
        }
    }

    internal const string CallAllow = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO";

    private void OnInviteResponse(SipResponse response)
    {
        if (response.IsProvisional)
        {
            OnProvisional(response);
        }
        else if (response.IsSuccess)
        {
            OnInviteSuccess(response);
        }
        else
        {
            OnInviteFailure(response);
        }
    }

    private void OnProvisional(SipResponse response)
    {
        Action? raise = null;
        lock (_sync)
        {
            if (State is CallState.Ended or CallState.Answered)
            {
                return;
            }

            _provisionalSeen = true;
            if (_cancelCause is not null)
            {
                SendCancelLocked();
                return;
            }

            if (response.StatusCode == 100)
            {
                return;
            }

            if (_dialog is null && response.To?.Tag is not null)
            {
                SetDialog(SipDialog.FromUacResponse(Invite!, response));
            }

            State = CallState.Early;
            if (ApplyRemoteAnswerLocked(response))
            {
                raise = () =>
                {
                    Ringing?.Invoke(this, response);
                    EarlyMedia?.Invoke(this);
                };
            }

            raise ??= () => Ringing?.Invoke(this, response);
        }

        Raise(raise);
    }

    private void OnInviteSuccess(SipResponse response)
    {
        bool hangUpAfterAck;
        lock (_sync)
        {
            if (State == CallState.Answered || (State == CallState.Ended && _ack is not null))
            {
                if (_dialog is not null && response.To?.Tag is { } tag && tag != _dialog.Id.RemoteTag)
                {
                    // A forked INVITE was answered twice (§13.2.2.4): keep the first, confirm and end the other.
                    EndExtraForkLocked(response);
                    return;
                }

                // 2xx retransmission: our ACK was lost.
                ResendAckLocked(response);
                return;
            }

            if (_dialog is null || _dialog.Id.RemoteTag != response.To?.Tag)
            {
                SetDialog(SipDialog.FromUacResponse(Invite!, response));
            }
            else
            {
                _dialog.Confirm(response);
            }

            _ack = _dialog!.CreateRequest(SipMethods.Ack, null, Invite!.CSeq!.Value.Number);
            _host.Stack.SendStateless(_ack, _host.Resolve(_dialog.NextHop));
            _ringTimer?.Cancel();
            ApplyRemoteAnswerLocked(response);

            hangUpAfterAck = _cancelCause is not null || State == CallState.Ended;
            if (!hangUpAfterAck)
            {
                MarkAnswered();
            }
        }

        if (hangUpAfterAck)
        {
            // CANCEL lost the race against the 2xx: confirm, then end the call with BYE (§9.1).
            SendInDialog(SipMethods.Bye, _ => { });
            Finish(487, "Canceled", _cancelCause ?? CallEndCause.Canceled);
        }
    }

    /// <summary>
    /// Follows the SDP answer of a 18x or the 2xx when it is new: the first one, or one that differs from the answer the media
    /// follows now (RFC 3261 asks for the same answer, but forks and early-media servers answer with their own). A response
    /// without SDP, a retransmission, or an answer that cannot be negotiated changes nothing. True when the media moved.
    /// </summary>
    private bool ApplyRemoteAnswerLocked(SipResponse response)
    {
        if (ReadSdp(response) is not { } answer || (_appliedAnswer is not null && response.Body.Span.SequenceEqual(_appliedAnswer)))
        {
            return false;
        }

        var negotiation = SdpOfferAnswer.ApplyAnswer(_localSdp!, answer, _host.LocalMedia(Media, _request!.Codecs, _localDirection));
        if (!negotiation.Succeeded)
        {
            _host.Logger.LogWarning("Call {CallId}: SDP answer in {Status} not usable ({Reason}); media unchanged", CallId, response.StatusCode, negotiation.Reason);
            return false;
        }

        if (_appliedAnswer is not null)
        {
            _host.Logger.LogInformation("Call {CallId}: media follows the new SDP answer in {Status}", CallId, response.StatusCode);
        }

        _appliedAnswer = response.Body.ToArray();
        ApplyAudio(negotiation.Audio);
        return true;
    }

    private void EndExtraForkLocked(SipResponse response)
    {
        var fork = SipDialog.FromUacResponse(Invite!, response);
        var destination = _host.Resolve(fork.NextHop);
        _host.Stack.SendStateless(fork.CreateRequest(SipMethods.Ack, null, Invite!.CSeq!.Value.Number), destination);
        _host.Stack.SendRequest(fork.CreateRequest(SipMethods.Bye, null), destination, _ => { });
    }

    private void ResendAckLocked(SipResponse response)
    {
        if (_ack is not null && _dialog is not null && response.To?.Tag == _dialog.Id.RemoteTag)
        {
            _host.Stack.SendStateless(_ack, _host.Resolve(_dialog.NextHop));
        }
    }

    /// <summary>A 2xx arrived after the INVITE transaction ended (Timer M): re-ACK it.</summary>
    internal void OnStraySuccess(SipResponse response)
    {
        lock (_sync)
        {
            ResendAckLocked(response);
        }
    }

    private void OnInviteFailure(SipResponse response)
    {
        CallEndCause cause;
        lock (_sync)
        {
            if (State == CallState.Ended)
            {
                return;
            }

            if (response.StatusCode is 401 or 407 && _request!.Credentials is not null && !_authRetried && _cancelCause is null)
            {
                _authRetried = true;
                var next = Invite!.CSeq!.Value.Number + 1;
                ThreadPool.UnsafeQueueUserWorkItem(_ => SendInvite(next, response), null);
                return;
            }

            _ringTimer?.Cancel();
            cause = _cancelCause ?? (response.StatusCode is 486 or 600 or 603 ? CallEndCause.Rejected : CallEndCause.Failed);
        }

        Finish(response.StatusCode, response.Reason, cause);
    }

    private void RequestCancelLocked(CallEndCause cause)
    {
        if (State is CallState.Answered or CallState.Ended)
        {
            return;
        }

        _cancelCause ??= cause;
        if (_provisionalSeen)
        {
            SendCancelLocked();
        }
    }

    private void SendCancelLocked()
    {
        if (_cancelSent || _inviteTransaction is null)
        {
            return;
        }

        _cancelSent = true;
        _host.Stack.SendCancel(_inviteTransaction, _ => { });
        // If the far end never sends 487, end the attempt after 64·T1 anyway.
        _host.Stack.Scheduler.Schedule(_host.Stack.Timers.TransactionTimeout, () => Finish(487, "Canceled", _cancelCause ?? CallEndCause.Canceled));
    }
}
