using System.Diagnostics;
using System.Text;
using Telephony.Functions.Tests.Hosting;
using Telephony.Testing;
using Xunit.Abstractions;

namespace Telephony.Functions.Tests.Api;

/// <summary>
/// Runs tests/sdk/calls.test.mjs (node:test) with the official twilio npm SDK against the API on a
/// real Kestrel loopback port over Azurite; the node process must exit 0.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SdkCompatibilityTests(ApiFixture api, ITestOutputHelper output)
{
    [Fact]
    public async Task The_official_twilio_node_SDK_works_against_the_local_base_url()
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
        start.ArgumentList.Add(RepoPaths.Combine("tests", "sdk", "calls.test.mjs"));
        start.Environment["TELEPHONY_API_BASE"] = baseUrl;
        start.Environment["TELEPHONY_ADMIN_KEY"] = ApiFixture.AdminKey;

        using var node = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var log = new StringBuilder();
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

        log.Append(await stdout).Append(await stderr);
        if (node.ExitCode != 0)
        {
            output.WriteLine(log.ToString());
        }

        Assert.True(node.ExitCode == 0, "node --test failed:\n" + log);
        Assert.Contains("pass 5", log.ToString(), StringComparison.Ordinal);
    }
}
