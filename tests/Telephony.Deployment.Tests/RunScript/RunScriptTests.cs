using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Telephony.Deployment.Tests.Packaging;
using Telephony.Testing;
using Xunit.Abstractions;

namespace Telephony.Deployment.Tests.RunScript;

/// <summary>
/// The newcomer's first command, as README gives it: <c>./run.sh</c> brings Azurite, the functions program and a
/// media node up on loopback and prints the API address and the admin key; the first call it describes (create a
/// tenant, place a call with inline TwiML to the local trunk) completes against a real far end (sipp answering);
/// Ctrl-C stops everything it started. Ports are free ones, the build is the Debug one ./test.sh made, and Azurite
/// keeps its data in memory, so the run leaves nothing behind but its logs in .data/logs.
/// </summary>
/// <remarks>In the packaging collection so its incremental build never overlaps the package build.</remarks>
[Collection(FunctionPackageCollection.Name)]
public sealed class RunScriptTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_sh_brings_the_platform_up_a_first_call_completes_and_ctrl_c_stops_every_part()
    {
        var (api, node, sip, trunk) = (FreePorts.Tcp(), FreePorts.Tcp(), FreePorts.Udp(), FreePorts.Udp());
        int[] azurite = [FreePorts.Tcp(), FreePorts.Tcp(), FreePorts.Tcp()];
        var farEnd = SippRunner.RunAsync([.. SippRunner.Common(trunk), "-sn", "uas"], CallTimeout + StartTimeout);

        using var script = StartRunScript(api, node, sip, trunk, azurite);
        var lines = Channel.CreateUnbounded<string>();
        var log = new StringBuilder();
        script.OutputDataReceived += (_, e) => Collect(e.Data);
        script.ErrorDataReceived += (_, e) => Collect(e.Data);
        script.BeginOutputReadLine();
        script.BeginErrorReadLine();
        try
        {
            var adminKey = await ReadAdminKeyAsync(lines.Reader);
            var baseUrl = $"http://127.0.0.1:{api}";
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };

            var account = await PostAsync(http, "admin", adminKey, "/2010-04-01/Accounts.json", [("FriendlyName", "Demo")]);
            var (sid, token) = (account.GetProperty("sid").GetString()!, account.GetProperty("auth_token").GetString()!);
            var call = await PostAsync(http, sid, token, $"/2010-04-01/Accounts/{sid}/Calls.json",
            [
                ("To", "+15551230000"),
                ("From", "+15557650000"),
                ("Twiml", "<Response><Say>Hello from Telephony Serverless</Say><Hangup/></Response>"),
            ]);
            var callSid = call.GetProperty("sid").GetString()!;

            var status = await WaitForFinalStatusAsync(http, sid, token, callSid);
            Assert.Equal("completed", status);
            var sipp = await farEnd.WaitAsync(CallTimeout);
            Assert.True(sipp.ExitCode == 0, sipp.ToString());
        }
        finally
        {
            if (!script.HasExited)
            {
                // What Ctrl-C sends; the script stops its children and exits 130. (bash's own kill: no procps needed.)
                using var interrupt = Process.Start("bash", ["-c", $"kill -INT {script.Id.ToString(CultureInfo.InvariantCulture)}"]);
                await interrupt.WaitForExitAsync();
            }

            using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await script.WaitForExitAsync(stopped.Token);
            lock (log)
            {
                output.WriteLine(log.ToString());
            }
        }

        Assert.Equal(130, script.ExitCode);
        foreach (var port in (int[])[api, node, .. azurite])
        {
            Assert.False(await AcceptsAsync(port), $"port {port} still accepts connections after Ctrl-C");
        }

        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(line);
            }

            lines.Writer.TryWrite(line);
        }
    }

    private static Process StartRunScript(int api, int node, int sip, int trunk, int[] azurite)
    {
        var start = new ProcessStartInfo("bash", [RepoPaths.Combine("run.sh")])
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TELEPHONY_API_PORT"] = api.ToString(CultureInfo.InvariantCulture);
        start.Environment["TELEPHONY_NODE_PORT"] = node.ToString(CultureInfo.InvariantCulture);
        start.Environment["TELEPHONY_SIP_PORT"] = sip.ToString(CultureInfo.InvariantCulture);
        start.Environment["TELEPHONY_TRUNK_URI"] = $"sip:127.0.0.1:{trunk}";
        start.Environment["TELEPHONY_AZURITE_PORTS"] = string.Join(',', azurite);
        start.Environment["TELEPHONY_AZURITE_MEMORY"] = "1";
        start.Environment["TELEPHONY_CONFIGURATION"] = "Debug";
        foreach (var inherited in new[] { "AzureWebJobsStorage", "Telephony__AdminKey", "FUNCTIONS_CUSTOMHANDLER_PORT" })
        {
            start.Environment.Remove(inherited);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("could not start run.sh");
    }

    /// <summary>Reads the script's output until it says the platform is up, and takes the admin key it printed.</summary>
    private static async Task<string> ReadAdminKeyAsync(ChannelReader<string> lines)
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        string? key = null;
        await foreach (var line in lines.ReadAllAsync(deadline.Token))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("Admin key", StringComparison.Ordinal))
            {
                key = trimmed["Admin key".Length..].Trim().Split(' ')[0];
            }
            else if (trimmed.StartsWith("Press Ctrl-C", StringComparison.Ordinal))
            {
                break;
            }
            else if (trimmed.StartsWith("error:", StringComparison.Ordinal))
            {
                Assert.Fail($"run.sh failed: {trimmed}");
            }
        }

        return key ?? throw new InvalidOperationException("run.sh did not print an admin key");
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string user, string password, string path, (string, string)[] form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Item1, f.Item2))),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<string> WaitForFinalStatusAsync(HttpClient http, string sid, string token, string callSid)
    {
        string[] final = ["completed", "busy", "no-answer", "failed", "canceled"];
        using var deadline = new CancellationTokenSource(CallTimeout);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/2010-04-01/Accounts/{sid}/Calls/{callSid}.json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sid}:{token}")));
            using var response = await http.SendAsync(request, deadline.Token);
            var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(deadline.Token)).RootElement.GetProperty("status").GetString()!;
            if (final.Contains(status))
            {
                return status;
            }

            await poll.WaitForNextTickAsync(deadline.Token);
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
