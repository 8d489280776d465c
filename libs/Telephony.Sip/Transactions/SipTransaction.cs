using Telephony.Sip.Messages;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Transactions;

/// <summary>What a transaction needs from the layer below and above: timers, a sender, and removal when done.</summary>
public interface ITransactionEnvironment
{
    SipTimerScheduler Scheduler { get; }

    SipTimers Timers { get; }

    /// <summary>Sends bytes; a transport failure calls <paramref name="onError"/> (the transaction then reports 503).</summary>
    void Send(byte[] message, SipEndPoint destination, Action<Exception>? onError);

    void OnTerminated(SipTransaction transaction);
}

/// <summary>Shared state of the four RFC 3261 §17 state machines. All transitions happen under <see cref="Sync"/>.</summary>
public abstract class SipTransaction
{
    private readonly List<ScheduledTimer> _timers = [];

    protected SipTransaction(string key, SipRequest request, SipEndPoint remote, ITransactionEnvironment environment)
    {
        Key = key;
        Request = request;
        Remote = remote;
        Environment = environment;
    }

    public string Key { get; }

    public SipRequest Request { get; }

    public SipEndPoint Remote { get; protected set; }

    public TransactionState State { get; private set; }

    protected Lock Sync { get; } = new();

    protected ITransactionEnvironment Environment { get; }

    protected SipTimers Timers => Environment.Timers;

    protected bool Reliable => Remote.IsReliable;

    /// <summary>Raised once, after the transaction reaches Terminated.</summary>
    public event Action<SipTransaction>? Terminated;

    protected void SetState(TransactionState state) => State = state;

    protected void Schedule(TimeSpan delay, Action onFire)
    {
        _timers.Add(Environment.Scheduler.Schedule(delay, () =>
        {
            lock (Sync)
            {
                if (State != TransactionState.Terminated)
                {
                    onFire();
                }
            }
        }));
    }

    protected void Send(byte[] bytes) => Environment.Send(bytes, Remote, OnTransportError);

    protected abstract void OnTransportError(Exception exception);

    /// <summary>Moves to Terminated; call with <see cref="Sync"/> held. Listeners run after the lock is released by the caller's flow.</summary>
    protected void Terminate()
    {
        if (State == TransactionState.Terminated)
        {
            return;
        }

        State = TransactionState.Terminated;
        foreach (var timer in _timers)
        {
            timer.Cancel();
        }

        _timers.Clear();
        Environment.OnTerminated(this);
        Terminated?.Invoke(this);
    }
}
