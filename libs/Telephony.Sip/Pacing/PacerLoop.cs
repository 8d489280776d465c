using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Telephony.Sip.Diagnostics;

namespace Telephony.Sip.Pacing;

/// <summary>
/// One send thread. The interval is cut into phase slots; every stream lives in one slot and is ticked once per interval at that
/// slot's absolute <see cref="Stopwatch"/> deadline (deadline n = start + n·interval/slots, so error never accumulates). Spreading
/// streams over slots keeps each burst short, so a stream's send time hardly moves from one interval to the next. The thread
/// sleeps on the kernel timer until just before each deadline and spins the rest; it waits on an event while it has no streams.
/// </summary>
internal sealed class PacerLoop : IDisposable
{
    private readonly RtpPacerOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<PacerRegistration> _added = new();
    private readonly List<PacerRegistration>[] _slots;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Thread _thread;
    private readonly long _slotInterval;
    private readonly long _spinWindow;
    private volatile bool _stopping;
    private int _count;
    private int _active;

    public PacerLoop(int index, RtpPacerOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _slots = [.. Enumerable.Range(0, options.SlotsPerInterval).Select(_ => new List<PacerRegistration>())];
        _slotInterval = (long)(options.Interval.TotalSeconds * Stopwatch.Frequency / options.SlotsPerInterval);
        _spinWindow = (long)(options.SpinWindow.TotalSeconds * Stopwatch.Frequency);
        _thread = new Thread(Run) { IsBackground = true, Name = $"rtp-pacer-{index}" };
        _thread.Start();
    }

    /// <summary>Streams registered on this loop (including ones about to start).</summary>
    public int Count => Volatile.Read(ref _count);

    public long LateTicks { get; private set; }

    public void Add(PacerRegistration registration)
    {
        Interlocked.Increment(ref _count);
        _added.Enqueue(registration);
        _wake.Set();
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        _thread.Join();
        _wake.Dispose();
    }

    private void Run()
    {
        if (_options.RealtimePriority is { } priority)
        {
            var error = RealtimeScheduling.TryEnableForCurrentThread(priority);
            if (error != 0)
            {
                _logger.LogWarning("Pacer loop {Thread} could not switch to real-time priority {Priority} (error {Error}); it runs at normal priority", Thread.CurrentThread.Name, priority, error);
            }
        }

        var deadline = 0L;
        var slot = 0;
        var idle = true;
        while (!_stopping)
        {
            if (_active == 0 && _added.IsEmpty)
            {
                _wake.Wait();
                _wake.Reset();
                idle = true;
                continue;
            }

            if (idle)
            {
                // Start a fresh schedule: the first slot is due now.
                deadline = Stopwatch.GetTimestamp();
                slot = 0;
                idle = false;
            }

            WaitUntil(deadline);
            if (SipTelemetry.PacingLateness.Enabled)
            {
                SipTelemetry.PacingLateness.Record((Stopwatch.GetTimestamp() - deadline) * 1000.0 / Stopwatch.Frequency);
            }

            AdmitNewStreams();
            TickAll(_slots[slot]);
            slot = (slot + 1) % _slots.Length;
            deadline += _slotInterval;
            var behind = Stopwatch.GetTimestamp() - deadline;
            if (behind > _slotInterval * _slots.Length * _options.MaxCatchUpIntervals)
            {
                // Hopelessly late (the machine stalled): skip whole intervals rather than bursting them out.
                LateTicks++;
                var skippedIntervals = behind / (_slotInterval * _slots.Length);
                deadline += skippedIntervals * _slotInterval * _slots.Length;
            }
        }
    }

    private void WaitUntil(long deadline)
    {
        var wakeAt = deadline - _spinWindow;
        if (MonotonicSleep.IsAvailable)
        {
            if (Stopwatch.GetTimestamp() < wakeAt)
            {
                MonotonicSleep.Until(wakeAt);
            }
        }
        else
        {
            SleepCoarselyUntil(wakeAt);
        }

        while (Stopwatch.GetTimestamp() < deadline)
        {
            Thread.SpinWait(20);
        }
    }

    /// <summary>Where the kernel timer cannot be used: whole-millisecond sleeps, then yields.</summary>
    private static void SleepCoarselyUntil(long wakeAt)
    {
        while (true)
        {
            var remaining = wakeAt - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            var sleepMs = (int)(remaining * 1000 / Stopwatch.Frequency);
            if (sleepMs > 0)
            {
                Thread.Sleep(sleepMs);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    private void AdmitNewStreams()
    {
        while (_added.TryDequeue(out var registration))
        {
            // The least loaded slot, so bursts stay even.
            var target = _slots[0];
            foreach (var slot in _slots)
            {
                if (slot.Count < target.Count)
                {
                    target = slot;
                }
            }

            target.Add(registration);
            _active++;
        }
    }

    private void TickAll(List<PacerRegistration> streams)
    {
        for (var i = streams.Count - 1; i >= 0; i--)
        {
            var registration = streams[i];
            if (registration.IsRemoved)
            {
                Remove(streams, i);
                continue;
            }

            try
            {
                registration.Stream.OnTick();
            }
#pragma warning disable CA1031 // One faulty stream must not stop the loop that paces hundreds of others.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                _logger.LogError(exception, "Paced stream {Stream} failed and was unregistered", registration.Stream);
                Remove(streams, i);
            }
        }
    }

    private void Remove(List<PacerRegistration> streams, int index)
    {
        streams[index] = streams[^1];
        streams.RemoveAt(streams.Count - 1);
        _active--;
        Interlocked.Decrement(ref _count);
    }
}
