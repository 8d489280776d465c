using System.Globalization;

namespace Telephony.Sip.Tests.Interop;

/// <summary>Waits until some process has bound a UDP port (Linux /proc/net/udp), so a test starts sending only once sipp listens.</summary>
internal static class UdpPortProbe
{
    public static async Task WaitUntilBoundAsync(int port, TimeSpan timeout)
    {
        var hex = ":" + port.ToString("X4", CultureInfo.InvariantCulture) + " ";
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            foreach (var table in new[] { "/proc/net/udp", "/proc/net/udp6" })
            {
                if (File.Exists(table) && File.ReadLines(table).Skip(1).Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].EndsWith(hex.TrimEnd(), StringComparison.Ordinal)))
                {
                    return;
                }
            }

            // Polling /proc has no event to wait on; a short delay between reads is the probe's cadence, not synchronisation.
            await Task.Delay(20, deadline.Token);
        }
    }
}
