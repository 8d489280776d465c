using System.Buffers.Binary;
using System.Globalization;
using System.Text;

/// <summary>
/// Storage requests counted on the wire from a pcap of what is sent to Azurite's three ports (as
/// <see cref="DumpcapCapture"/> writes it, the first bytes of each segment): a TCP segment whose payload starts with an
/// HTTP method is one request — HTTP/1.1 clients send one request at a time per connection, its headers first — so
/// every process's storage traffic is counted without touching the processes. Each request gets a kind from its
/// service, method and path: table point read / query / insert / update / delete / transaction ($batch), queue
/// put / get / delete, blob, with the table or queue name.
/// </summary>
internal sealed class StorageRequestsOnTheWire
{
    private static readonly string[] Methods = ["GET ", "POST ", "PUT ", "MERGE ", "PATCH ", "DELETE ", "HEAD ", "OPTIONS "];
    private readonly Dictionary<int, string> _services;
    private readonly Dictionary<string, long> _kinds = new(StringComparer.Ordinal);

    private StorageRequestsOnTheWire(Dictionary<int, string> services) => _services = services;

    public long Requests { get; private set; }

    /// <summary>The BPF filter that captures what goes to the three ports.</summary>
    public static string Filter(int blobPort, int queuePort, int tablePort) =>
        string.Create(CultureInfo.InvariantCulture, $"tcp dst port {blobPort} or tcp dst port {queuePort} or tcp dst port {tablePort}");

    public static StorageRequestsOnTheWire Read(string pcapFile, int blobPort, int queuePort, int tablePort)
    {
        var result = new StorageRequestsOnTheWire(new Dictionary<int, string> { [blobPort] = "blob", [queuePort] = "queue", [tablePort] = "table" });
        PcapFile.ReadIpPackets(pcapFile, result.Add);
        return result;
    }

    /// <summary>Azurite's blob, queue and table ports from a connection string with explicit endpoints.</summary>
    public static (int Blob, int Queue, int Table) Ports(string connectionString)
    {
        int Port(string service)
        {
            var part = connectionString.Split(';').Single(p => p.StartsWith(service + "Endpoint=", StringComparison.Ordinal));
            return new Uri(part[(service.Length + "Endpoint=".Length)..]).Port;
        }

        return (Port("Blob"), Port("Queue"), Port("Table"));
    }

    private void Add(long micros, ReadOnlySpan<byte> ip)
    {
        if (ip.Length < 20 || ip[0] >> 4 != 4 || ip[9] != 6)
        {
            return;
        }

        var tcp = ip[((ip[0] & 0x0F) * 4)..];
        if (tcp.Length < 20 || !_services.TryGetValue(BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]), out var service))
        {
            return;
        }

        var payload = tcp[((tcp[12] >> 4) * 4)..];
        var lineEnd = payload.IndexOf((byte)'\r');
        var line = Encoding.ASCII.GetString(lineEnd < 0 ? payload : payload[..lineEnd]);
        if (!Methods.Any(m => line.StartsWith(m, StringComparison.Ordinal)))
        {
            return;
        }

        var parts = line.Split(' ');
        var kind = Kind(service, parts[0], parts.Length > 1 ? parts[1] : string.Empty);
        _kinds[kind] = _kinds.GetValueOrDefault(kind) + 1;
        Requests++;
    }

    private static string Kind(string service, string method, string target)
    {
        var query = target.IndexOf('?', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(query < 0 ? target : target[..query]);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray(); // after the account name
        var first = segments.FirstOrDefault() ?? string.Empty;
        switch (service)
        {
            case "table":
                var paren = first.IndexOf('(', StringComparison.Ordinal);
                var table = paren < 0 ? first : first[..paren];
                var pointed = paren >= 0 && first.Contains("RowKey", StringComparison.Ordinal);
                return (method, table) switch
                {
                    (_, "$batch") => "table transaction",
                    ("GET", _) => pointed ? $"table point read {table}" : $"table query {table}",
                    ("POST", "Tables") => "table create table",
                    ("POST", _) => $"table insert {table}",
                    ("DELETE", _) => $"table delete {table}",
                    _ => $"table update {table}",
                };
            case "queue":
                var queue = first.StartsWith("dispatch-", StringComparison.Ordinal) ? "dispatch-{tenant}" : first;
                var messages = segments.Length > 1 && segments[1] == "messages";
                var peek = query >= 0 && target.Contains("peekonly=true", StringComparison.OrdinalIgnoreCase);
                return (method, messages) switch
                {
                    ("POST", true) => $"queue put {queue}",
                    ("GET", true) => peek ? $"queue peek {queue}" : $"queue get {queue}",
                    ("DELETE", true) => $"queue delete {queue}",
                    ("PUT", true) => $"queue update {queue}",
                    _ => $"queue {method} {queue}",
                };
            default:
                return $"blob {method} {first}";
        }
    }

    /// <summary>Requests by kind, most frequent first, each also per call; then the totals by class.</summary>
    public string Summary(long calls)
    {
        var perCall = Math.Max(1L, calls);
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"storage requests: {Requests} ({Requests / (double)perCall:F2} per call over {calls} calls)"));
        foreach (var (kind, count) in _kinds.OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  {kind}: {count} ({count / (double)perCall:F2} per call)"));
        }

        foreach (var group in _kinds.GroupBy(k => Class(k.Key)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var count = group.Sum(k => k.Value);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  = {group.Key}: {count / (double)perCall:F2} per call"));
        }

        return text.ToString().TrimEnd();
    }

    private static string Class(string kind) => kind switch
    {
        _ when kind.StartsWith("table point read", StringComparison.Ordinal) || kind.StartsWith("table query", StringComparison.Ordinal) => "table reads",
        _ when kind.StartsWith("table transaction", StringComparison.Ordinal) => "table transactions",
        _ when kind.StartsWith("table", StringComparison.Ordinal) => "table single writes",
        _ when kind.StartsWith("queue", StringComparison.Ordinal) => "queue",
        _ => "blob",
    };
}
