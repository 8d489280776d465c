using System.Collections.Concurrent;
using System.Net;

namespace Telephony.Sip.Transport;

/// <summary>
/// Per-source-address budget of messages per second, so one flooding peer cannot starve the node.
/// Fixed one-second windows: cheap, and enough to bound the damage.
/// </summary>
public sealed class SourceRateLimiter(TimeProvider time, int messagesPerSecond)
{
    private const int MaxTrackedSources = 100_000;

    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();

    public bool TryAcquire(IPAddress source)
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        if (_windows.Count > MaxTrackedSources)
        {
            _windows.Clear();
        }

        var window = _windows.GetOrAdd(source, static _ => new Window());
        lock (window)
        {
            if (window.Second != second)
            {
                window.Second = second;
                window.Count = 0;
            }

            return ++window.Count <= messagesPerSecond;
        }
    }

    private sealed class Window
    {
        public long Second { get; set; }

        public int Count { get; set; }
    }
}
