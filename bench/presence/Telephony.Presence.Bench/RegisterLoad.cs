using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Telephony.Presence.Bench;

/// <summary>
/// Open-loop REGISTER load over UDP: a pacing thread sends at the target rate against absolute Stopwatch
/// deadlines (never slowed by the answers), spread over several sockets; receivers match each final
/// answer to its request by the sequence number in the Via branch. No retransmission: a lost or late
/// answer counts as a failure. The sockets live as long as the load, so a client's Contact stays the same from
/// run to run (a refresh, not a new binding).
/// </summary>
internal sealed class RegisterLoad(IPEndPoint node, IReadOnlyList<BenchClient> clients) : IDisposable
{
    private const int Sockets = 4;
    private static readonly byte[] BranchPrefix = Encoding.ASCII.GetBytes("branch=z9hG4bKbench");
    private readonly Socket[] _sockets = [.. Enumerable.Range(0, Sockets).Select(_ => Open())];
    private int _run;

    public async Task<LoadResult> RunAsync(int rate, int total, TimeSpan answerWait)
    {
        var sentAt = new long[total];
        var status = new int[total];
        var answered = new CountdownEvent(total);
        var sockets = _sockets;
        var run = ++_run;
        using var stop = new CancellationTokenSource();
        var receivers = sockets.Select(s => Task.Run(() => ReceiveAsync(s, run, sentAt, status, answered, stop.Token))).ToArray();

        var started = Stopwatch.GetTimestamp();
        var sender = new Thread(() => Send(sockets, run, rate, total, sentAt)) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        sender.Start();
        sender.Join();
        var sendSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.Run(() => answered.Wait(answerWait));
        var allSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(receivers);
        answered.Dispose();
        return LoadResult.From(rate, total, sendSeconds, allSeconds, sentAt, status);
    }

    private static Socket Open()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20, SendBufferSize = 4 << 20 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private void Send(Socket[] sockets, int run, int rate, int total, long[] sentAt)
    {
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate) + 1);
            for (; sent < due; sent++)
            {
                var socket = sockets[sent % Sockets];
                var client = clients[sent % clients.Count];
                var branch = "z9hG4bKbench" + run.ToString(CultureInfo.InvariantCulture) + "r" + sent.ToString(CultureInfo.InvariantCulture) + "x";
                var datagram = client.NextRegister((IPEndPoint)socket.LocalEndPoint!, node, branch);
                sentAt[sent] = Stopwatch.GetTimestamp();
                socket.SendTo(datagram, node);
            }

            Thread.Sleep(1);
        }
    }

    private static async Task ReceiveAsync(Socket socket, int run, long[] sentAt, int[] status, CountdownEvent answered, CancellationToken stop)
    {
        var buffer = new byte[8192];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = (await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop)).ReceivedBytes;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var message = buffer.AsSpan(0, length);
            // "SIP/2.0 200 OK": the status code is bytes 8-10.
            if (length < 12 || !Utf8Parser.TryParse(message.Slice(8, 3), out int code, out _) || code < 200)
            {
                continue;
            }

            var at = message.IndexOf(BranchPrefix);
            if (at < 0)
            {
                continue;
            }

            // branch=z9hG4bKbench<run>r<sequence>x: answers of an earlier run are ignored.
            var digits = message[(at + BranchPrefix.Length)..];
            if (Utf8Parser.TryParse(digits, out int answeredRun, out var runLength) && answeredRun == run &&
                Utf8Parser.TryParse(digits[(runLength + 1)..], out int sequence, out _) && sequence < status.Length &&
                Interlocked.CompareExchange(ref status[sequence], code, 0) == 0)
            {
                sentAt[sequence] = Stopwatch.GetTimestamp() - sentAt[sequence];
                answered.Signal();
            }
        }
    }
}

/// <summary>Outcome of one load run: achieved rates, answers by status, latency percentiles of the 200s.</summary>
internal sealed record LoadResult(int Rate, int Total, double SendSeconds, double AllSeconds, int Ok, IReadOnlyDictionary<int, int> Failures, int Unanswered, double P50, double P99, double Max)
{
    public static LoadResult From(int rate, int total, double sendSeconds, double allSeconds, long[] latencies, int[] status)
    {
        var ok = new List<double>(total);
        var failures = new Dictionary<int, int>();
        var unanswered = 0;
        for (var i = 0; i < total; i++)
        {
            if (status[i] == 200)
            {
                ok.Add(Stopwatch.GetElapsedTime(0, latencies[i]).TotalMilliseconds);
            }
            else if (status[i] == 0)
            {
                unanswered++;
            }
            else
            {
                failures[status[i]] = failures.GetValueOrDefault(status[i]) + 1;
            }
        }

        ok.Sort();
        double Percentile(double p) => ok.Count == 0 ? double.NaN : ok[Math.Min(ok.Count - 1, (int)Math.Ceiling(p * ok.Count) - 1)];
        return new LoadResult(rate, total, sendSeconds, allSeconds, ok.Count, failures, unanswered, Percentile(0.5), Percentile(0.99), ok.Count == 0 ? double.NaN : ok[^1]);
    }

    public string Describe(string name)
    {
        var failed = Total - Ok;
        var codes = string.Join(", ", Failures.OrderBy(f => f.Key).Select(f => $"{f.Key}×{f.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{name}: target {Rate}/s, sent {Total} in {SendSeconds:F1} s ({Total / SendSeconds:F0}/s), 200 OK {Ok} ({Ok / AllSeconds:F0}/s over {AllSeconds:F1} s incl. drain), " +
            $"failed {failed} ({100.0 * failed / Total:F3} %: unanswered {Unanswered}{(codes.Length > 0 ? ", " + codes : string.Empty)}); " +
            $"REGISTER→200 ms p50 {P50:F1} p99 {P99:F1} max {Max:F1}");
    }
}
