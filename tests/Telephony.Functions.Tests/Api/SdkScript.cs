using System.Diagnostics;
using System.Text;
using Telephony.Functions.Tests.Hosting;
using Telephony.Testing;
using Xunit.Abstractions;

namespace Telephony.Functions.Tests.Api;

/// <summary>
/// Runs one tests/sdk script (node:test, the official twilio npm SDK) against the API on a real Kestrel
/// loopback port over the fixture's Azurite. TELEPHONY_API_BASE and TELEPHONY_ADMIN_KEY are always set.
/// </summary>
internal static class SdkScript
{
    /// <summary>Runs the script; returns its output after asserting exit code 0.</summary>
    public static async Task<string> RunAsync(
        ApiFixture api, string script, ITestOutputHelper output, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var app = new FunctionsAppFactory(ApiFixture.Settings(api.ConnectionString), kestrel: true);
        using var probe = app.CreateClient();
        var baseUrl = probe.BaseAddress!.GetLeftPart(UriPartial.Authority);

        var start = new ProcessStartInfo(ExternalTool.Require("node", "nodejs"))
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--test");
        start.ArgumentList.Add("--test-reporter=spec");
        start.ArgumentList.Add(RepoPaths.Combine("tests", "sdk", script));
        start.Environment["TELEPHONY_API_BASE"] = baseUrl;
        start.Environment["TELEPHONY_ADMIN_KEY"] = ApiFixture.AdminKey;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var node = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await node.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw;
        }

        var log = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        if (node.ExitCode != 0)
        {
            output.WriteLine(log);
        }

        Assert.True(node.ExitCode == 0, $"node --test {script} failed:\n" + log);
        return log;
    }
}
