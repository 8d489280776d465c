using Telephony.Sip.Core;
using Telephony.Sip.Dialogs;
using Telephony.Sip.Messages;
using Telephony.Sip.Sdp;
using Telephony.Sip.Transactions;

namespace Telephony.Sip.Calls;

/// <summary>UAS half: 180/183, 200 retransmitted until ACK (BYE after 64·T1 without one), reject, CANCEL → 487.</summary>
public sealed partial class SipCall
{
    private ServerInviteTransaction? _serverInvite;
    private string? _localTag;
    private SessionDescription? _remoteOffer;
    private SipResponse? _ok;
    private ScheduledTimer? _okRetransmit;
    private ScheduledTimer? _okGiveUp;

    internal static SipCall AcceptIncoming(ICallHost host, ServerInviteTransaction transaction)
    {
        var invite = transaction.Request;
        var call = new SipCall(host, CallDirection.Inbound, transaction.Remote, host.OpenMedia())
        {
            Invite = invite,
            CallId = invite.CallId!,
            _serverInvite = transaction,
            _localTag = SipStack.NewTag(),
            _remoteOffer = ReadSdp(invite),
        };
        lock (call._sync)
        {
            call.SetDialog(SipDialog.FromUasRequest(invite, call._localTag));
        }

        return call;
    }

    /// <summary>True when the INVITE carried an SDP body we could not read: answer it with 488.</summary>
    internal bool HasUnreadableOffer => Invite is { Body.IsEmpty: false } && _remoteOffer is null;

    public void Ring()
    {
        lock (_sync)
        {
            if (State is CallState.Trying or CallState.Early && Direction == CallDirection.Inbound)
            {
                State = CallState.Early;
                _serverInvite!.Respond(CreateResponseLocked(180));
            }
        }
    }

    /// <summary>183 Session Progress with our SDP answer: early media (announcements before answer).</summary>
    public void Progress()
    {
        lock (_sync)
        {
            if (State is not (CallState.Trying or CallState.Early) || Direction != CallDirection.Inbound)
            {
                return;
            }

            var response = CreateResponseLocked(183);
            if (!AttachAnswerLocked(response))
            {
                return;
            }

            State = CallState.Early;
            _serverInvite!.Respond(response);
        }

        Raise(() => EarlyMedia?.Invoke(this));
    }

    public void Answer()
    {
        lock (_sync)
        {
            if (State is not (CallState.Trying or CallState.Early) || Direction != CallDirection.Inbound)
            {
                return;
            }

            var ok = CreateResponseLocked(200);
            if (!AttachAnswerLocked(ok))
            {
                return;
            }

            _dialog!.ConfirmUas();
            SendOkLocked(_serverInvite!, ok);
            MarkAnswered();
        }
    }

    public void Reject(int status = 486) => Reject(status, []);

    /// <summary>Refuses the call with <paramref name="status"/> and extra headers (e.g. Retry-After on a 503).</summary>
    public void Reject(int status, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        lock (_sync)
        {
            RejectLocked(status, CallEndCause.Rejected, headers);
        }
    }

    private void RejectLocked(int status, CallEndCause cause, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        if (Direction != CallDirection.Inbound || State is CallState.Answered or CallState.Ended)
        {
            return;
        }

        var response = CreateResponseLocked(status);
        if (status == 405)
        {
            response.Headers.Add(HeaderNames.Allow, CallAllow);
        }

        foreach (var (name, value) in headers ?? [])
        {
            response.Headers.Add(name, value);
        }

        _serverInvite!.Respond(response);
        ThreadPool.UnsafeQueueUserWorkItem(_ => Finish(status, response.Reason, cause), null);
    }

    /// <summary>CANCEL matched our pending INVITE: 487 to the INVITE, call canceled.</summary>
    internal void OnCanceled()
    {
        lock (_sync)
        {
            if (State is CallState.Answered or CallState.Ended)
            {
                return;
            }

            _serverInvite!.Respond(CreateResponseLocked(487));
        }

        Finish(487, "Request Terminated", CallEndCause.Canceled);
    }

    /// <summary>ACK for our 2xx: stop retransmitting; a late-offer ACK carries the answer.</summary>
    internal void OnAck(SipRequest ack)
    {
        lock (_sync)
        {
            StopRetransmittingOk();
            if (_remoteOffer is null && Audio is null && ReadSdp(ack) is { } answer && _localSdp is not null)
            {
                ApplyAudio(SdpOfferAnswer.ApplyAnswer(_localSdp, answer, _host.LocalMedia(Media, null, _localDirection)).Audio);
            }
        }
    }

    private SipResponse CreateResponseLocked(int status)
    {
        var response = SipResponses.Create(_serverInvite!.Request, status, toTag: _localTag);
        if (status is > 100 and < 300)
        {
            response.Headers.Add(HeaderNames.Contact, _host.LocalContact(Remote).ToString());
        }

        return response;
    }

    /// <summary>Puts an SDP answer (or, for a late offer, our offer) on a 183/200. False if negotiation failed (488 sent).</summary>
    private bool AttachAnswerLocked(SipResponse response)
    {
        if (_remoteOffer is null)
        {
            response.SetBody(SdpBytes(_localSdp ?? BuildLocalSdp(null)), "application/sdp");
            return true;
        }

        if (Audio is not null && _localSdp is not null)
        {
            response.SetBody(SdpBytes(_localSdp), "application/sdp");
            return true;
        }

        var negotiation = SdpOfferAnswer.Answer(_remoteOffer, _host.LocalMedia(Media, null, _localDirection));
        if (!negotiation.Succeeded || negotiation.Answer is null)
        {
            RejectLocked(488, CallEndCause.Failed);
            return false;
        }

        _localSdp = negotiation.Answer;
        response.SetBody(SdpBytes(_localSdp), "application/sdp");
        ApplyAudio(negotiation.Audio);
        return true;
    }

    /// <summary>§13.3.1.4: the UAS core retransmits 2xx (T1 doubling to T2) until the ACK; without ACK after 64·T1, BYE.</summary>
    private void SendOkLocked(ServerInviteTransaction transaction, SipResponse ok)
    {
        StopRetransmittingOk();
        _ok = ok;
        transaction.Respond(ok);
        if (!transaction.Remote.IsReliable)
        {
            ScheduleOkRetransmit(transaction, _host.Stack.Timers.T1);
        }

        _okGiveUp = _host.Stack.Scheduler.Schedule(_host.Stack.Timers.TransactionTimeout, () =>
        {
            bool wasPending;
            lock (_sync)
            {
                wasPending = _ok is not null;
                StopRetransmittingOk();
            }

            if (wasPending)
            {
                SendBye(CallEndCause.Failed, 408, "No ACK for 2xx");
            }
        });
    }

    private void ScheduleOkRetransmit(ServerInviteTransaction transaction, TimeSpan interval) =>
        _okRetransmit = _host.Stack.Scheduler.Schedule(interval, () =>
        {
            lock (_sync)
            {
                if (_ok is null)
                {
                    return;
                }

                _host.Stack.SendStateless(_ok, transaction.Remote);
                var next = interval * 2 < _host.Stack.Timers.T2 ? interval * 2 : _host.Stack.Timers.T2;
                ScheduleOkRetransmit(transaction, next);
            }
        });

    private void StopRetransmittingOk()
    {
        _ok = null;
        _okRetransmit?.Cancel();
        _okGiveUp?.Cancel();
    }
}
