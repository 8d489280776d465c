using System.Diagnostics;

/// <summary>CPU time a set of processes used between <see cref="Start"/> and <see cref="Stop"/>, as a share of one core.</summary>
internal sealed class ProcessCpu
{
    private readonly Dictionary<string, (int Pid, TimeSpan Before)> _processes = [];
    private readonly Stopwatch _wall = new();

    /// <summary>Wall seconds between the last <see cref="Start"/> and <see cref="Stop"/>.</summary>
    public double WallSeconds { get; private set; }

    public void Add(string name, int pid) => _processes[name] = (pid, TimeSpan.Zero);

    public void Start()
    {
        foreach (var (name, entry) in _processes.ToArray())
        {
            _processes[name] = (entry.Pid, Used(entry.Pid));
        }

        _wall.Restart();
    }

    /// <summary>Per process: CPU seconds used divided by wall seconds (1.0 = one core busy the whole time).</summary>
    public IReadOnlyDictionary<string, double> Stop()
    {
        var wall = WallSeconds = _wall.Elapsed.TotalSeconds;
        return _processes.ToDictionary(p => p.Key, p => (Used(p.Value.Pid) - p.Value.Before).TotalSeconds / wall);
    }

    /// <summary>User + system time; a process that has gone reads as zero (its share is then not meaningful).</summary>
    private static TimeSpan Used(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (ArgumentException)
        {
            return TimeSpan.Zero;
        }
    }
}
