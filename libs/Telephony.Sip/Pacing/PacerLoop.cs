using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Telephony.Sip.Pacing;

/// <summary>
/// One send thread: ticks every registered stream once per interval against absolute <see cref="Stopwatch"/> deadlines
/// (deadline n = start + n·interval, so error never accumulates), sleeping until just before each deadline and spinning the rest.
/// Sleeps on an event while it has no streams.
/// </summary>
internal sealed class PacerLoop : IDisposable
{
    private readonly RtpPacerOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<PacerRegistration> _added = new();
    private readonly List<PacerRegistration> _streams = [];
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Thread _thread;
    private readonly long _interval;
    private readonly long _spinWindow;
    private volatile bool _stopping;
    private int _count;

    public PacerLoop(int index, RtpPacerOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _interval = (long)(options.Interval.TotalSeconds * Stopwatch.Frequency);
        _spinWindow = (long)(options.SpinWindow.TotalSeconds * Stopwatch.Frequency);
        _thread = new Thread(Run) { IsBackground = true, Name = $"rtp-pacer-{index}" };
        _thread.Start();
    }

    /// <summary>Streams registered on this loop (including ones about to start).</summary>
    public int Count => Volatile.Read(ref _count);

    public long Ticks { get; private set; }

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
        var deadline = 0L;
        var idle = true;
        while (!_stopping)
        {
            if (_streams.Count == 0 && _added.IsEmpty)
            {
                _wake.Wait();
                _wake.Reset();
                idle = true;
                continue;
            }

            if (idle)
            {
                // Start a fresh schedule: the first tick is immediate, then one per interval.
                deadline = Stopwatch.GetTimestamp();
                idle = false;
            }

            WaitUntil(deadline);
            AdmitNewStreams();
            TickAll();
            Ticks++;
            deadline += _interval;
            var behind = Stopwatch.GetTimestamp() - deadline;
            if (behind > _interval * _options.MaxCatchUpIntervals)
            {
                LateTicks++;
                deadline += behind / _interval * _interval;
            }
        }
    }

    private void WaitUntil(long deadline)
    {
        while (true)
        {
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            if (remaining > _spinWindow)
            {
                var sleepMs = (int)((remaining - _spinWindow) * 1000 / Stopwatch.Frequency);
                Thread.Sleep(Math.Max(sleepMs, 0));
                if (sleepMs == 0)
                {
                    Thread.Yield();
                }
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }

    private void AdmitNewStreams()
    {
        while (_added.TryDequeue(out var registration))
        {
            _streams.Add(registration);
        }
    }

    private void TickAll()
    {
        for (var i = _streams.Count - 1; i >= 0; i--)
        {
            var registration = _streams[i];
            if (registration.IsRemoved)
            {
                Remove(i);
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
                Remove(i);
            }
        }
    }

    private void Remove(int index)
    {
        _streams[index] = _streams[^1];
        _streams.RemoveAt(_streams.Count - 1);
        Interlocked.Decrement(ref _count);
    }
}
