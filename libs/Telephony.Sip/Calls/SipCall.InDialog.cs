using System.Globalization;
using Telephony.Sip.Core;
using Telephony.Sip.Messages;
using Telephony.Sip.Sdp;
using Telephony.Sip.Transactions;

namespace Telephony.Sip.Calls;

/// <summary>Requests inside an established dialog: BYE, re-INVITE (hold, unhold, refresh; 491 on glare), INFO, OPTIONS.</summary>
public sealed partial class SipCall
{
    private bool _reinviteOutPending;

    internal void OnInDialogRequest(ServerTransaction transaction)
    {
        var request = transaction.Request;
        int? rejectStatus;
        lock (_sync)
        {
            rejectStatus = _dialog is null ? 481 : _dialog.AcceptRemoteSequence(request);
        }

        if (rejectStatus is int status)
        {
            transaction.Respond(SipResponses.Create(request, status));
            return;
        }

        switch (request.Method)
        {
            case SipMethods.Bye:
                OnBye(transaction);
                break;
            case SipMethods.Invite:
                OnReinvite((ServerInviteTransaction)transaction);
                break;
            case SipMethods.Info:
                transaction.Respond(SipResponses.Create(request, 200));
                if (ParseDtmfRelay(request) is char digit)
                {
                    Raise(() => DtmfReceived?.Invoke(this, digit));
                }

                break;
            case SipMethods.Options:
                var options = SipResponses.Create(request, 200);
                options.Headers.Add(HeaderNames.Allow, CallAllow);
                options.Headers.Add(HeaderNames.Accept, "application/sdp");
                transaction.Respond(options);
                break;
            default:
                var notAllowed = SipResponses.Create(request, 405);
                notAllowed.Headers.Add(HeaderNames.Allow, CallAllow);
                transaction.Respond(notAllowed);
                break;
        }
    }

    private void OnBye(ServerTransaction transaction)
    {
        transaction.Respond(SipResponses.Create(transaction.Request, 200));
        lock (_sync)
        {
            if (Direction == CallDirection.Inbound && State is CallState.Trying or CallState.Early)
            {
                // §15.1.2: BYE before our final response ends the INVITE with 487.
                _serverInvite!.Respond(CreateResponseLocked(487));
            }
        }

        Finish(200, "Remote hangup", CallEndCause.RemoteHangup);
    }

    private void OnReinvite(ServerInviteTransaction transaction)
    {
        var request = transaction.Request;
        lock (_sync)
        {
            if (State != CallState.Answered)
            {
                transaction.Respond(SipResponses.Create(request, State == CallState.Ended ? 481 : 491));
                return;
            }

            if (_reinviteOutPending)
            {
                transaction.Respond(SipResponses.Create(request, 491));
                return;
            }

            if (_ok is not null)
            {
                // §14.2: still waiting for the ACK of our previous 2xx.
                var busy = SipResponses.Create(request, 500);
                busy.Headers.Add(HeaderNames.RetryAfter, Random.Shared.Next(0, 10).ToString(CultureInfo.InvariantCulture));
                transaction.Respond(busy);
                return;
            }

            var ok = SipResponses.Create(request, 200, toTag: _dialog!.Id.LocalTag);
            ok.Headers.Add(HeaderNames.Contact, _host.LocalContact(Remote).ToString());
            if (ReadSdp(request) is { } offer)
            {
                var negotiation = SdpOfferAnswer.Answer(offer, _host.LocalMedia(Media, null, _localDirection));
                if (!negotiation.Succeeded || negotiation.Answer is null)
                {
                    transaction.Respond(SipResponses.Create(request, 488));
                    return;
                }

                _remoteOffer = offer;
                _localSdp = negotiation.Answer;
                ApplyAudio(negotiation.Audio);
            }

            ok.SetBody(SdpBytes(_localSdp ?? BuildLocalSdp(null)), "application/sdp");
            _dialog.RefreshTarget(request);
            SendOkLocked(transaction, ok);
        }

        Raise(() => Reinvited?.Invoke(this));
    }

    /// <summary>
    /// Puts the peer on hold (sendonly) or takes it off hold (sendrecv) with a re-INVITE. True when accepted.
    /// On 491 (glare) it retries once after the §14.1 back-off: 2.1–4 s if we created the Call-ID, else 0–2 s.
    /// </summary>
    public async Task<bool> SetHoldAsync(bool hold, CancellationToken cancellationToken = default)
    {
        var outcome = await SendReinviteAsync(hold, cancellationToken);
        if (outcome != 491)
        {
            return outcome is >= 200 and < 300;
        }

        var backOff = Direction == CallDirection.Outbound
            ? TimeSpan.FromMilliseconds(Random.Shared.Next(2100, 4001))
            : TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2001));
        await Task.Delay(backOff, _host.Stack.Options.Time, cancellationToken);
        outcome = await SendReinviteAsync(hold, cancellationToken);
        return outcome is >= 200 and < 300;
    }

    /// <summary>One re-INVITE round: returns the final status (0 when none could be sent).</summary>
    private async Task<int> SendReinviteAsync(bool hold, CancellationToken cancellationToken)
    {
        var result = new TaskCompletionSource<SipResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        SessionDescription offer;
        lock (_sync)
        {
            if (State != CallState.Answered || _reinviteOutPending)
            {
                return 0;
            }

            _reinviteOutPending = true;
            _localDirection = hold ? SdpDirection.SendOnly : SdpDirection.SendRecv;
            offer = SdpOfferAnswer.Offer(_host.LocalMedia(Media, _request?.Codecs, _localDirection));
        }

        var transaction = SendInDialog(SipMethods.Invite, r => r.SetBody(SdpBytes(offer), "application/sdp"), r =>
        {
            if (!r.IsProvisional)
            {
                result.TrySetResult(r);
            }
        });
        if (transaction is null)
        {
            lock (_sync)
            {
                _reinviteOutPending = false;
            }

            return 0;
        }

        var response = await result.Task.WaitAsync(cancellationToken);
        lock (_sync)
        {
            _reinviteOutPending = false;
            if (!response.IsSuccess || _dialog is null)
            {
                return response.StatusCode;
            }

            _dialog.RefreshTarget(response);
            var ack = _dialog.CreateRequest(SipMethods.Ack, null, transaction.Request.CSeq!.Value.Number);
            _host.Stack.SendStateless(ack, _host.Resolve(_dialog.NextHop));
            _localSdp = offer;
            if (ReadSdp(response) is { } answer)
            {
                ApplyAudio(SdpOfferAnswer.ApplyAnswer(offer, answer, _host.LocalMedia(Media, _request?.Codecs, _localDirection)).Audio);
            }
        }

        return response.StatusCode;
    }

    /// <summary>application/dtmf-relay bodies: `Signal=5`.</summary>
    private static char? ParseDtmfRelay(SipRequest request)
    {
        if (request.ContentType is not { } type || !type.StartsWith("application/dtmf-relay", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var line in System.Text.Encoding.ASCII.GetString(request.Body.Span).Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("Signal", StringComparison.OrdinalIgnoreCase) && trimmed.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                var value = trimmed[(eq + 1)..].Trim();
                return value.Length == 1 && Dtmf.DtmfEvents.IsDigit(value[0]) ? char.ToUpperInvariant(value[0]) : null;
            }
        }

        return null;
    }
}
