using Telephony.Sip.Messages;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transactions;

/// <summary>Server transactions (RFC 3261 §17.2 with RFC 6026). The TU answers through <see cref="Respond"/>.</summary>
public abstract class ServerTransaction : SipTransaction
{
    private byte[]? _lastResponse;

    protected ServerTransaction(string key, SipRequest request, SipEndPoint remote, ITransactionEnvironment environment)
        : base(key, request, remote, environment)
    {
    }

    /// <summary>Highest status sent so far (0 before any).</summary>
    public int LastStatus { get; private set; }

    public SipResponse? LastResponse { get; private set; }

    public void Respond(SipResponse response)
    {
        lock (Sync)
        {
            if (State is TransactionState.Completed or TransactionState.Confirmed or TransactionState.Terminated ||
                (State == TransactionState.Accepted && !response.IsSuccess))
            {
                return;
            }

            LastStatus = response.StatusCode;
            LastResponse = response;
            _lastResponse = SipSerializer.Serialize(response);
            Send(_lastResponse);
            OnResponded(response);
        }
    }

    /// <summary>A retransmission of the request arrived.</summary>
    public void ReceiveRetransmission()
    {
        lock (Sync)
        {
            if (_lastResponse is not null && ShouldResendOnRetransmission())
            {
                Send(_lastResponse);
            }
        }
    }

    protected abstract void OnResponded(SipResponse response);

    protected abstract bool ShouldResendOnRetransmission();

    protected void ResendLast() => Send(_lastResponse!);

    protected override void OnTransportError(Exception exception)
    {
        lock (Sync)
        {
            Terminate();
        }
    }
}

/// <summary>INVITE server transaction: Proceeding → Accepted (2xx, timer L) / Completed (G, H) → Confirmed (I) → Terminated.</summary>
public sealed class ServerInviteTransaction : ServerTransaction
{
    private readonly Action<ServerInviteTransaction>? _onAckTimeout;

    public ServerInviteTransaction(string key, SipRequest request, SipEndPoint remote, ITransactionEnvironment environment, Action<ServerInviteTransaction>? onAckTimeout)
        : base(key, request, remote, environment)
    {
        _onAckTimeout = onAckTimeout;
        SetState(TransactionState.Proceeding);
    }

    /// <summary>An ACK matched this transaction. Returns true when it belongs to the TU (ACK for a 2xx in Accepted).</summary>
    public bool ReceiveAck()
    {
        lock (Sync)
        {
            if (State == TransactionState.Completed)
            {
                SetState(TransactionState.Confirmed);
                Schedule(Reliable ? TimeSpan.Zero : Timers.T4, Terminate); // Timer I
                return false;
            }

            return State == TransactionState.Accepted;
        }
    }

    protected override void OnResponded(SipResponse response)
    {
        if (response.IsProvisional)
        {
            return;
        }

        if (response.IsSuccess)
        {
            SetState(TransactionState.Accepted);
            Schedule(Timers.TransactionTimeout, Terminate); // Timer L
            return;
        }

        SetState(TransactionState.Completed);
        if (!Reliable)
        {
            ScheduleTimerG(Timers.T1);
        }

        // Timer H: the ACK never came.
        Schedule(Timers.TransactionTimeout, () =>
        {
            if (State == TransactionState.Completed)
            {
                Terminate();
                _onAckTimeout?.Invoke(this);
            }
        });
    }

    private void ScheduleTimerG(TimeSpan interval) =>
        Schedule(interval, () =>
        {
            if (State == TransactionState.Completed)
            {
                ResendLast();
                ScheduleTimerG(interval * 2 < Timers.T2 ? interval * 2 : Timers.T2);
            }
        });

    protected override bool ShouldResendOnRetransmission() => State is TransactionState.Proceeding or TransactionState.Completed;
}

/// <summary>Non-INVITE server transaction: Trying → Proceeding → Completed (timer J) → Terminated.</summary>
public sealed class ServerNonInviteTransaction : ServerTransaction
{
    public ServerNonInviteTransaction(string key, SipRequest request, SipEndPoint remote, ITransactionEnvironment environment)
        : base(key, request, remote, environment)
    {
        SetState(TransactionState.Trying);
    }

    protected override void OnResponded(SipResponse response)
    {
        if (response.IsProvisional)
        {
            SetState(TransactionState.Proceeding);
            return;
        }

        SetState(TransactionState.Completed);
        Schedule(Reliable ? TimeSpan.Zero : Timers.TransactionTimeout, Terminate); // Timer J
    }

    protected override bool ShouldResendOnRetransmission() => State is TransactionState.Proceeding or TransactionState.Completed;
}
