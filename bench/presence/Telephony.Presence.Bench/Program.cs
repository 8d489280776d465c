// Sustained Bearer REGISTERs per second into one node's SIP host: a SipUserAgent whose asynchronous REGISTER hook is the
// node's BearerRegistrar (AccessTokenVerifier + registrar core + PresenceRegistry on a private Azurite), as NodeHosting
// wires it. Clients are raw UDP sockets sending open-loop paced REGISTERs (refreshes of `identities` bindings, each with
// its own SDK-minted AccessToken); meanwhile one reader times PresenceRegistry.LookupAsync, as a <Dial><Client> would.
// Mode "refresh" (default): every identity registers once first, the measured load is refreshes (each identity every
// identities/rate seconds). Mode "new": no warm-up, one identity per measured REGISTER, so each one writes presence.
// Usage: dotnet run -c Release --project bench/presence/Telephony.Presence.Bench -- [rate=1000] [seconds=20] [identities=2000] [refresh|new]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Core.Accounts;
using Telephony.Core.Presence;
using Telephony.Core.Storage;
using Telephony.Core.Tokens;
using Telephony.MediaNode.Presence;
using Telephony.Presence.Bench;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Transport;
using Telephony.Testing;

var rate = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var freshOnly = args.Length > 3 && args[3] == "new";
var identities = freshOnly ? rate * seconds : args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2000;

await using var azurite = await AzuriteInstance.StartAsync(useShared: false);
var storage = new StorageClients(azurite.ConnectionString);
var time = TimeProvider.System;
var sealer = new SecretSealer("presence bench platform key");
var accounts = new AccountStore(storage, time);
var keys = new ApiKeyStore(storage, time, sealer);
var account = await accounts.CreateAsync("presence bench");
var key = await keys.CreateAsync(account.Sid, "bench clients");
var names = Enumerable.Range(0, identities).Select(i => "client" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (var batch in names.Chunk(400))
{
    // The request travels as one command-line argument: batches keep it under the OS limit.
    var minted = await SdkTokenMinter.MintAsync(new
    {
        accountSid = account.Sid,
        keySid = key.Key.Sid,
        keySecret = key.Secret,
        authToken = account.AuthToken,
        identity = batch[0],
        tokens = batch.Select(n => new { name = n, kind = "access", identity = n, ttl = 3600 }).ToArray(),
    });
    foreach (var (name, token) in minted)
    {
        tokens[name] = token;
    }
}

var presence = new PresenceRegistry(storage, time);
var registrar = new BearerRegistrar(
    new AccessTokenVerifier(accounts, keys, sealer, time, new Telephony.MediaNode.Configuration.NodeOptions().TokenIssuerFreshness), presence, time,
    new BearerRegistrarOptions { NodeId = "bench-node" }, NullLogger<BearerRegistrar>.Instance);
await using var node = new SipUserAgent(new SipUserAgentOptions
{
    Listen = [new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0))],
    Media = null,
    RegisterHandler = args.Contains("sip-only")
        ? (register, _) => ValueTask.FromResult(Telephony.Sip.Core.SipResponses.Create(register, 200, toTag: "bench"))
        : (register, cancellationToken) => new ValueTask<SipResponse>(registrar.HandleAsync(register, cancellationToken)),
});

var clients = names.Select(n => new BenchClient(n, tokens[n])).ToArray();
using var load = new RegisterLoad(node.LocalEndPoint().Address, clients);

// Warm-up: every identity registers once (so the measured load is refreshes plus lookups of live clients).
if (!freshOnly)
{
    var warm = await load.RunAsync(Math.Min(rate, 150), identities, TimeSpan.FromSeconds(60));
    Console.WriteLine(warm.Describe("warm-up"));
}

if (args.Contains("cpu"))
{
    // The registrar alone, on parsed requests, one at a time: CPU per refresh without sockets or the load generator.
    var local = new IPEndPoint(IPAddress.Loopback, 5999);
    var requests = Enumerable.Range(0, 20_000).Select(i => (SipRequest)SipParser.ParseDatagram(
        clients[i % clients.Length].NextRegister(local, node.LocalEndPoint().Address, "z9hG4bKcpu" + i.ToString(CultureInfo.InvariantCulture))).Message!).ToArray();
    // First pass warms the JIT (tiered compilation) and the registrar; the second is measured.
    foreach (var request in requests)
    {
        await registrar.HandleAsync(request);
    }

    requests = Enumerable.Range(0, 20_000).Select(i => (SipRequest)SipParser.ParseDatagram(
        clients[i % clients.Length].NextRegister(local, node.LocalEndPoint().Address, "z9hG4bKcpu2" + i.ToString(CultureInfo.InvariantCulture))).Message!).ToArray();
    var started = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    var okCount = 0;
    foreach (var request in requests)
    {
        okCount += (await registrar.HandleAsync(request)).StatusCode == 200 ? 1 : 0;
    }

    var used = Process.GetCurrentProcess().TotalProcessorTime - started;
    var verifierOnly = new AccessTokenVerifier(accounts, keys, sealer, time, TimeSpan.FromSeconds(1));
    var verifyStarted = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < 20_000; i++)
    {
        await verifierOnly.VerifyAsync(clients[i % clients.Length].Token);
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"token check alone: {(Process.GetCurrentProcess().TotalProcessorTime - verifyStarted).TotalMicroseconds / 20_000:F1} µs CPU each"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"registrar alone: {requests.Length} refreshes, {okCount} OK, {used.TotalMicroseconds / requests.Length:F1} µs CPU each, {watch.Elapsed.TotalMicroseconds / requests.Length:F1} µs wall each"));
    return;
}

using var stopLookups = new CancellationTokenSource();
var lookups = args.Contains("nolookups") ? Task.FromResult(new LookupResult([], 0)) : LookupProbe.RunAsync(presence, account.Sid, names, stopLookups.Token);
var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
var measured = await load.RunAsync(rate, rate * seconds, TimeSpan.FromSeconds(30));
var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
await stopLookups.CancelAsync();
var lookup = await lookups;

Console.WriteLine(measured.Describe(freshOnly ? "measured (new registrations)" : "measured (refreshes)"));
Console.WriteLine(lookup.Describe());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"bench process CPU (node + load generator + lookups): {cpu.TotalSeconds:F1} s = {cpu.TotalMicroseconds / Math.Max(1, measured.Ok):F0} µs per 200 OK ({measured.Ok / Math.Max(0.001, cpu.TotalSeconds):F0} REGISTERs per CPU-second)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
