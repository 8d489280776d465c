using Telephony.Sip.Core;
using Telephony.Sip.Messages;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transactions;

/// <summary>
/// Client transactions (RFC 3261 §17.1 with RFC 6026). Responses are handed to the TU through the callback; a timeout
/// is reported as a locally generated 408 and a transport failure as a 503, the way the RFC tells the TU to treat them.
/// </summary>
public abstract class ClientTransaction : SipTransaction
{
    private readonly Action<SipResponse> _onResponse;
    private byte[]? _requestBytes;

    protected ClientTransaction(string key, SipRequest request, SipEndPoint remote, ITransactionEnvironment environment, Action<SipResponse> onResponse)
        : base(key, request, remote, environment)
    {
        _onResponse = onResponse;
    }

    public void Start()
    {
        lock (Sync)
        {
            _requestBytes = SipSerializer.Serialize(Request);
            Send(_requestBytes);
            OnStarted();
        }
    }

    public void ReceiveResponse(SipResponse response)
    {
        Action? deliver;
        lock (Sync)
        {
            deliver = OnResponse(response);
        }

        deliver?.Invoke();
    }

    protected abstract void OnStarted();

    /// <summary>State machine step; returns the TU delivery to run outside the lock, if any.</summary>
    protected abstract Action? OnResponse(SipResponse response);

    protected void Retransmit() => Send(_requestBytes!);

    protected Action Deliver(SipResponse response) => () => _onResponse(response);

    protected void FailWith(int status)
    {
        var response = SipResponses.Create(Request, status);
        Terminate();
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Item1(state.Item2), (_onResponse, response), preferLocal: false);
    }

    protected override void OnTransportError(Exception exception)
    {
        lock (Sync)
        {
            if (State is not (TransactionState.Terminated or TransactionState.Completed or TransactionState.Accepted))
            {
                FailWith(503);
            }
        }
    }
}

/// <summary>INVITE client transaction: Calling → Proceeding → Accepted (2xx) / Completed (ACK sent) → Terminated.</summary>
public sealed class ClientInviteTransaction : ClientTransaction
{
    private byte[]? _ack;

    public ClientInviteTransaction(string key, SipRequest request, SipEndPoint remote, ITransactionEnvironment environment, Action<SipResponse> onResponse)
        : base(key, request, remote, environment, onResponse)
    {
        SetState(TransactionState.Calling);
    }

    protected override void OnStarted()
    {
        if (!Reliable)
        {
            ScheduleTimerA(Timers.T1);
        }

        // Timer B
        Schedule(Timers.TransactionTimeout, () =>
        {
            if (State == TransactionState.Calling)
            {
                FailWith(408);
            }
        });
    }

    private void ScheduleTimerA(TimeSpan interval) =>
        Schedule(interval, () =>
        {
            if (State == TransactionState.Calling)
            {
                Retransmit();
                ScheduleTimerA(interval * 2);
            }
        });

    protected override Action? OnResponse(SipResponse response)
    {
        switch (State)
        {
            case TransactionState.Calling or TransactionState.Proceeding:
                if (response.IsProvisional)
                {
                    SetState(TransactionState.Proceeding);
                    return Deliver(response);
                }

                if (response.IsSuccess)
                {
                    SetState(TransactionState.Accepted);
                    Schedule(Timers.TransactionTimeout, Terminate); // Timer M
                    return Deliver(response);
                }

                SetState(TransactionState.Completed);
                _ack = SipSerializer.Serialize(BuildAck(response));
                Send(_ack);
                Schedule(Reliable ? TimeSpan.Zero : Timers.TimerD, Terminate); // Timer D
                return Deliver(response);

            case TransactionState.Accepted when response.IsSuccess:
                // 2xx retransmissions go to the TU, which re-sends its ACK (RFC 6026).
                return Deliver(response);

            case TransactionState.Completed when response.StatusCode >= 300:
                Send(_ack!);
                return null;

            default:
                return null;
        }
    }

    /// <summary>§17.1.1.3: the ACK for a non-2xx final response, hop-by-hop, same branch.</summary>
    private SipRequest BuildAck(SipResponse response)
    {
        var ack = new SipRequest(SipMethods.Ack, Request.Uri);
        ack.Headers.Add(HeaderNames.Via, Request.Headers.GetValues(HeaderNames.Via)[0]);
        foreach (var route in Request.Headers.GetValues(HeaderNames.Route))
        {
            ack.Headers.Add(HeaderNames.Route, route);
        }

        ack.Headers.Add(HeaderNames.MaxForwards, "70");
        ack.Headers.Add(HeaderNames.From, Request.Headers.Get(HeaderNames.From)!);
        ack.Headers.Add(HeaderNames.To, response.Headers.Get(HeaderNames.To) ?? Request.Headers.Get(HeaderNames.To)!);
        ack.Headers.Add(HeaderNames.CallId, Request.CallId!);
        ack.Headers.Add(HeaderNames.CSeq, new CSeqHeader(Request.CSeq!.Value.Number, SipMethods.Ack).ToString());
        return ack;
    }
}

/// <summary>Non-INVITE client transaction: Trying → Proceeding → Completed → Terminated (timers E, F, K).</summary>
public sealed class ClientNonInviteTransaction : ClientTransaction
{
    public ClientNonInviteTransaction(string key, SipRequest request, SipEndPoint remote, ITransactionEnvironment environment, Action<SipResponse> onResponse)
        : base(key, request, remote, environment, onResponse)
    {
        SetState(TransactionState.Trying);
    }

    protected override void OnStarted()
    {
        if (!Reliable)
        {
            ScheduleTimerE(Timers.T1);
        }

        // Timer F
        Schedule(Timers.TransactionTimeout, () =>
        {
            if (State is TransactionState.Trying or TransactionState.Proceeding)
            {
                FailWith(408);
            }
        });
    }

    private void ScheduleTimerE(TimeSpan interval) =>
        Schedule(interval, () =>
        {
            if (State is TransactionState.Trying or TransactionState.Proceeding)
            {
                Retransmit();
                var next = State == TransactionState.Trying ? Min(interval * 2, Timers.T2) : Timers.T2;
                ScheduleTimerE(next);
            }
        });

    protected override Action? OnResponse(SipResponse response)
    {
        if (State is not (TransactionState.Trying or TransactionState.Proceeding))
        {
            return null;
        }

        if (response.IsProvisional)
        {
            SetState(TransactionState.Proceeding);
            return Deliver(response);
        }

        SetState(TransactionState.Completed);
        Schedule(Reliable ? TimeSpan.Zero : Timers.T4, Terminate); // Timer K
        return Deliver(response);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
