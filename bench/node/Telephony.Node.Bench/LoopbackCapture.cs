using System.Diagnostics;
using System.Globalization;

/// <summary>tshark capturing loopback UDP to a file, started once it reports "Capturing on" and stopped with SIGINT so it flushes.</summary>
internal sealed class LoopbackCapture : IAsyncDisposable
{
    private readonly Process _tshark;

    private LoopbackCapture(Process tshark, string file)
    {
        _tshark = tshark;
        File = file;
    }

    public string File { get; }

    public static async Task<LoopbackCapture> StartAsync(string filter)
    {
        var file = Path.Combine(Path.GetTempPath(), $"node-bench-{Environment.ProcessId}.pcap");
        var info = new ProcessStartInfo("tshark")
        {
            ArgumentList = { "-i", "lo", "-q", "-B", "64", "-w", file, "-f", filter },
            RedirectStandardError = true,
        };
        var tshark = Process.Start(info) ?? throw new InvalidOperationException("tshark did not start");
        while (await tshark.StandardError.ReadLineAsync() is { } line)
        {
            if (line.Contains("Capturing on", StringComparison.Ordinal))
            {
                _ = tshark.StandardError.ReadToEndAsync();
                return new LoopbackCapture(tshark, file);
            }
        }

        throw new InvalidOperationException("tshark exited before capturing");
    }

    /// <summary>Every captured UDP datagram: wire time (epoch seconds), ports and payload.</summary>
    public async IAsyncEnumerable<(double Time, int SourcePort, int DestinationPort, byte[] Payload)> ReadAsync(bool withPayload = true)
    {
        await StopAsync();
        var info = new ProcessStartInfo("tshark")
        {
            ArgumentList = { "-r", File, "-T", "fields", "-e", "frame.time_epoch", "-e", "udp.srcport", "-e", "udp.dstport", "-e", withPayload ? "udp.payload" : "udp.length", "-E", "separator=," },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var reader = Process.Start(info)!;
        _ = reader.StandardError.ReadToEndAsync();
        while (await reader.StandardOutput.ReadLineAsync() is { } line)
        {
            var fields = line.Split(',');
            if (fields.Length < 4 || fields[3].Length == 0)
            {
                continue;
            }

            yield return (double.Parse(fields[0], CultureInfo.InvariantCulture), int.Parse(fields[1], CultureInfo.InvariantCulture),
                int.Parse(fields[2], CultureInfo.InvariantCulture), withPayload ? Convert.FromHexString(fields[3].Replace(":", "", StringComparison.Ordinal)) : []);
        }

        await reader.WaitForExitAsync();
    }

    private async Task StopAsync()
    {
        if (_tshark.HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-INT", _tshark.Id.ToString(CultureInfo.InvariantCulture)]);
        await _tshark.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _tshark.Dispose();
        System.IO.File.Delete(File);
    }
}
