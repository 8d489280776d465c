using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Telephony.Core.Capacity;

namespace Telephony.Functions.Provisioning;

/// <summary>Settings of the local provisioner (section Telephony:Capacity:Local).</summary>
internal sealed class LocalProvisionerOptions
{
    public const string Section = "Telephony:Capacity:Local";

    /// <summary>The program to start (by default <c>dotnet</c> running the media node).</summary>
    public string Command { get; set; } = "dotnet";

    /// <summary>Arguments; <c>{id}</c>, <c>{sipPort}</c> and <c>{httpPort}</c> are replaced per node.</summary>
    public List<string> Arguments { get; set; } = [];

    /// <summary>Extra environment variables for every node (the storage connection is added by the provisioner).</summary>
    public Dictionary<string, string> Environment { get; set; } = [];
}

/// <summary>
/// The embedded default: media nodes as child processes on loopback, each with its own free SIP (UDP) and
/// health (TCP) port. Nodes live as long as this provisioner (disposing it stops them).
/// </summary>
internal sealed class LocalProcessProvisioner(LocalProvisionerOptions options, string? storageConnectionString, TimeProvider time, ILogger<LocalProcessProvisioner> logger)
    : INodeProvisioner, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (Process Process, ProvisionedNode Node)> _nodes = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<ProvisionedNode>> ListAsync(CancellationToken cancellationToken)
    {
        foreach (var (id, entry) in _nodes)
        {
            if (entry.Process.HasExited)
            {
                // Gone on its own: let the reconciler start a replacement.
                _nodes.TryRemove(id, out _);
                entry.Process.Dispose();
            }
        }

        return Task.FromResult<IReadOnlyList<ProvisionedNode>>([.. _nodes.Values.Select(e => e.Node)]);
    }

    public Task<ProvisionedNode> StartAsync(CancellationToken cancellationToken)
    {
        var id = "local-" + Guid.NewGuid().ToString("N")[..12];
        var sipPort = FreePort(SocketType.Dgram, ProtocolType.Udp);
        var httpPort = FreePort(SocketType.Stream, ProtocolType.Tcp);
        var start = new ProcessStartInfo(options.Command) { UseShellExecute = false, RedirectStandardOutput = false, RedirectStandardError = false };
        foreach (var argument in options.Arguments)
        {
            start.ArgumentList.Add(argument
                .Replace("{id}", id, StringComparison.Ordinal)
                .Replace("{sipPort}", sipPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{httpPort}", httpPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }

        if (storageConnectionString is not null)
        {
            start.Environment["AzureWebJobsStorage"] = storageConnectionString;
        }

        foreach (var (name, value) in options.Environment)
        {
            start.Environment[name] = value;
        }

        // The Functions host's variable would make a child think it is a custom handler.
        start.Environment.Remove("FUNCTIONS_CUSTOMHANDLER_PORT");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {options.Command}");
        var node = new ProvisionedNode(id, time.GetUtcNow());
        _nodes[id] = (process, node);
        logger.LogInformation("Started local node {NodeId} (pid {Pid}, SIP udp:127.0.0.1:{SipPort}, HTTP {HttpPort})", id, process.Id, sipPort, httpPort);
        return Task.FromResult(node);
    }

    public async Task RemoveAsync(string nodeId, CancellationToken cancellationToken)
    {
        if (!_nodes.TryRemove(nodeId, out var entry))
        {
            return;
        }

        using var process = entry.Process;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var id in _nodes.Keys)
        {
            await RemoveAsync(id, CancellationToken.None);
        }
    }

    private static int FreePort(SocketType type, ProtocolType protocol)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
