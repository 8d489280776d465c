namespace Telephony.Sip.Transactions;

/// <summary>
/// One scheduler for every SIP timer of the node: a priority queue of deadlines behind a single
/// <see cref="ITimer"/> re-armed for the earliest one, instead of a timer object per transaction.
/// Runs on <see cref="TimeProvider"/>, so tests drive it with FakeTimeProvider.
/// </summary>
public sealed class SipTimerScheduler : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly PriorityQueue<ScheduledTimer, (DateTimeOffset, long)> _queue = new();
    private readonly Lock _lock = new();
    private long _sequence;
    private DateTimeOffset _armedFor = DateTimeOffset.MaxValue;

    public SipTimerScheduler(TimeProvider time)
    {
        _time = time;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeProvider Time => _time;

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _queue.UnorderedItems.Count(i => !i.Element.IsCancelled);
            }
        }
    }

    public ScheduledTimer Schedule(TimeSpan delay, Action callback)
    {
        var timer = new ScheduledTimer(callback);
        var due = _time.GetUtcNow() + (delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        lock (_lock)
        {
            _queue.Enqueue(timer, (due, _sequence++));
            if (due < _armedFor)
            {
                Arm(due);
            }
        }

        return timer;
    }

    private void Fire()
    {
        var due = new List<ScheduledTimer>();
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            while (_queue.TryPeek(out var timer, out var priority) && priority.Item1 <= now)
            {
                _queue.Dequeue();
                if (!timer.IsCancelled)
                {
                    due.Add(timer);
                }
            }

            _armedFor = DateTimeOffset.MaxValue;
            if (_queue.TryPeek(out _, out var next))
            {
                Arm(next.Item1);
            }
        }

        foreach (var timer in due)
        {
            timer.Run();
        }
    }

    private void Arm(DateTimeOffset due)
    {
        _armedFor = due;
        var delay = due - _time.GetUtcNow();
        _timer.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
    }

    public void Dispose() => _timer.Dispose();
}

/// <summary>A pending callback; cancelling is O(1) (the entry is skipped when it surfaces).</summary>
public sealed class ScheduledTimer(Action callback)
{
    private int _state;

    public bool IsCancelled => Volatile.Read(ref _state) == 2;

    public void Cancel() => Interlocked.CompareExchange(ref _state, 2, 0);

    internal void Run()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
        {
            callback();
        }
    }
}
