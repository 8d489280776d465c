namespace Telephony.Capacity.Bench;

/// <summary>One call as the oracles see it: started at its release slot, running for its duration.</summary>
internal readonly record struct CallInterval(double Start, double End);

/// <summary>
/// Reference node-seconds for a run's calls, every call starting at its release slot (no queue wait):
/// <list type="bullet">
/// <item><see cref="Instant"/>: ceil(concurrent / capacity) nodes at every instant, nodes free to appear and vanish.
/// A bound nothing reaches: nodes take 30-60 s to start and cost from their creation.</item>
/// <item><see cref="Foresight"/>: the fair oracle. It knows the whole future (arrivals and durations), so it can pack
/// calls to follow the instant count, but every node it starts is billed from creation for the shortest start latency
/// before it serves, and it keeps a node through an idle gap shorter than that rather than restart it.</item>
/// <item><see cref="JustInTime"/>: what foresight of arrivals alone buys without knowing durations: each call on the
/// fullest node with a free slot, a node started (and billed) exactly one start latency before the call that needs
/// it, removed the moment its last call ends. Calls never move, so a node lives until its longest call ends.</item>
/// </list>
/// </summary>
internal static class Oracles
{
    public static double Instant(IReadOnlyList<CallInterval> calls, double duration, int capacity, int minNodes)
    {
        var (times, counts) = NodeProfile(calls, duration, capacity, minNodes);
        double total = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            total += counts[i] * (times[i + 1] - times[i]);
        }

        return total;
    }

    public static double Foresight(IReadOnlyList<CallInterval> calls, double duration, int capacity, int minNodes, double startLatency)
    {
        var (times, counts) = NodeProfile(calls, duration, capacity, minNodes);
        var levels = counts.Count == 0 ? 0 : counts.Max();
        double total = 0;
        for (var level = 1; level <= levels; level++)
        {
            // The k-th node's busy spans; the first minNodes exist (ready) from the start.
            double? upSince = level <= minNodes ? 0 : null;
            double lastEnd = 0;
            for (var i = 0; i < counts.Count; i++)
            {
                var needed = counts[i] >= level;
                if (needed && upSince is null)
                {
                    // Bridge a short gap (cheaper than a restart); otherwise start anew and pay the start latency.
                    if (lastEnd > 0 && times[i] - lastEnd < startLatency)
                    {
                        total += times[i] - lastEnd;
                    }
                    else
                    {
                        total += startLatency;
                    }

                    upSince = times[i];
                }
                else if (!needed && upSince is { } since && level > minNodes)
                {
                    total += times[i] - since;
                    lastEnd = times[i];
                    upSince = null;
                }
            }

            if (upSince is { } open)
            {
                total += duration - open;
            }
        }

        return total;
    }

    public static double JustInTime(IReadOnlyList<CallInterval> calls, double duration, int capacity, int minNodes, double startLatency)
    {
        var nodes = new List<(int Active, double Created)>();
        for (var i = 0; i < minNodes; i++)
        {
            nodes.Add((0, 0));
        }

        var ends = new PriorityQueue<int, double>();
        double total = 0;
        foreach (var call in calls.Where(c => c.Start < duration).OrderBy(c => c.Start))
        {
            while (ends.TryPeek(out var node, out var end) && end <= call.Start)
            {
                ends.Dequeue();
                nodes[node] = (nodes[node].Active - 1, nodes[node].Created);
                if (nodes[node].Active == 0 && node >= minNodes)
                {
                    total += end - nodes[node].Created;
                    nodes[node] = (-1, 0);
                }
            }

            var best = -1;
            for (var n = 0; n < nodes.Count; n++)
            {
                if (nodes[n].Active >= 0 && nodes[n].Active < capacity && (best < 0 || nodes[n].Active > nodes[best].Active))
                {
                    best = n;
                }
            }

            if (best < 0)
            {
                best = nodes.FindIndex(n => n.Active < 0);
                if (best < 0)
                {
                    best = nodes.Count;
                    nodes.Add((0, 0));
                }

                nodes[best] = (0, call.Start - startLatency);
            }

            nodes[best] = (nodes[best].Active + 1, nodes[best].Created);
            ends.Enqueue(best, call.End);
        }

        while (ends.TryDequeue(out var node, out var end))
        {
            nodes[node] = (nodes[node].Active - 1, nodes[node].Created);
            if (nodes[node].Active == 0 && node >= minNodes)
            {
                total += Math.Min(end, duration) - nodes[node].Created;
                nodes[node] = (-1, 0);
            }
        }

        return total + (minNodes * duration);
    }

    /// <summary>The instant node count as a step function: counts[i] holds from times[i] to times[i + 1].</summary>
    private static (List<double> Times, List<int> Counts) NodeProfile(IReadOnlyList<CallInterval> calls, double duration, int capacity, int minNodes)
    {
        var deltas = new SortedDictionary<double, int> { [0] = 0 };
        foreach (var (start, end) in calls)
        {
            if (start >= duration)
            {
                continue;
            }

            deltas[start] = deltas.GetValueOrDefault(start) + 1;
            var clipped = Math.Min(end, duration);
            deltas[clipped] = deltas.GetValueOrDefault(clipped) - 1;
        }

        var times = new List<double>();
        var counts = new List<int>();
        var concurrent = 0;
        foreach (var (at, delta) in deltas)
        {
            if (at >= duration)
            {
                break;
            }

            concurrent += delta;
            times.Add(at);
            counts.Add(Math.Max(minNodes, (int)Math.Ceiling(concurrent / (double)capacity)));
        }

        times.Add(duration);
        return (times, counts);
    }
}
