using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telephony.Sip.Pacing;

/// <summary>
/// Paces every RTP stream of the process from a few send loops (one per core), never a timer per call. Streams are spread over the
/// loops, and within a loop over phase slots, by load; each stream is ticked once per interval on an absolute schedule, so RTP
/// timestamps, which streams derive from their packet count, stay in step with real time. Create one per process and dispose it at shutdown.
/// </summary>
public sealed class RtpPacer : IDisposable
{
    private readonly PacerLoop[] _loops;

    public RtpPacer(RtpPacerOptions? options = null, ILogger<RtpPacer>? logger = null)
    {
        options ??= new RtpPacerOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Loops, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Interval, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SlotsPerInterval, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SlotsPerInterval, 20);
        if (options.RealtimePriority is { } priority)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(priority, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(priority, 99);
        }

        var log = (ILogger?)logger ?? NullLogger.Instance;
        _loops = [.. Enumerable.Range(0, options.Loops).Select(i => new PacerLoop(i, options, log))];
    }

    /// <summary>Streams currently registered.</summary>
    public int StreamCount => _loops.Sum(l => l.Count);

    /// <summary>Times a loop fell more than <see cref="RtpPacerOptions.MaxCatchUpIntervals"/> behind and skipped ahead (an overload signal).</summary>
    public long LateTicks => _loops.Sum(l => l.LateTicks);

    /// <summary>Starts ticking <paramref name="stream"/> on the least loaded loop; the first tick comes within one interval.</summary>
    public PacerRegistration Register(IPacedStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var registration = new PacerRegistration(stream);
        _loops.MinBy(l => l.Count)!.Add(registration);
        return registration;
    }

    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            loop.Dispose();
        }
    }
}
