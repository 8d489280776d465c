using System.Diagnostics;
using System.Globalization;

/// <summary>
/// dumpcap (tshark's capture engine, far lighter than tshark) writing loopback packets that match a BPF filter to a
/// classic pcap file, headers and the first bytes of payload only; stopped with SIGINT so it flushes.
/// </summary>
internal sealed class DumpcapCapture : IAsyncDisposable
{
    private readonly Process _dumpcap;
    private readonly Task<string> _report;

    private DumpcapCapture(Process dumpcap, string file)
    {
        _dumpcap = dumpcap;
        _report = dumpcap.StandardError.ReadToEndAsync();
        File = file;
    }

    public string File { get; }

    public int Pid => _dumpcap.Id;

    /// <param name="filter">BPF capture filter.</param>
    /// <param name="snapLength">Bytes kept of each packet (link + IP + UDP + RTP headers need 54).</param>
    public static async Task<DumpcapCapture> StartAsync(string filter, int snapLength)
    {
        var file = Path.Combine(Path.GetTempPath(), $"node-bench-{Environment.ProcessId}-{Guid.NewGuid():N}.pcap");
        var info = new ProcessStartInfo("dumpcap")
        {
            ArgumentList = { "-i", "lo", "-q", "-P", "-B", "256", "-s", snapLength.ToString(CultureInfo.InvariantCulture), "-w", file, "-f", filter },
            RedirectStandardError = true,
        };
        var dumpcap = Process.Start(info) ?? throw new InvalidOperationException("dumpcap did not start");
        while (await dumpcap.StandardError.ReadLineAsync() is { } line)
        {
            if (line.Contains("Capturing on", StringComparison.Ordinal))
            {
                return new DumpcapCapture(dumpcap, file);
            }
        }

        throw new InvalidOperationException("dumpcap exited before capturing");
    }

    /// <summary>Stops capturing; returns dumpcap's closing report (packets captured, received and dropped).</summary>
    public async Task<string> StopAsync()
    {
        if (!_dumpcap.HasExited)
        {
            using var interrupt = Process.Start("kill", ["-INT", _dumpcap.Id.ToString(CultureInfo.InvariantCulture)]);
            await _dumpcap.WaitForExitAsync();
        }

        return (await _report).Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dumpcap.Dispose();
        System.IO.File.Delete(File);
    }
}
