using System.Diagnostics;
using System.Text.Json;
using Telephony.Testing;

namespace Telephony.Core.Tests.Tokens;

/// <summary>Mints tokens with the official twilio npm SDK (tests/sdk/mint-tokens.mjs) in a node child process.</summary>
internal static class SdkTokenMinter
{
    public static async Task<IReadOnlyDictionary<string, string>> MintAsync(object request)
    {
        var start = new ProcessStartInfo(ExternalTool.Require("node", "nodejs"))
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepoPaths.Combine("tests", "sdk", "mint-tokens.mjs"));
        start.ArgumentList.Add(JsonSerializer.Serialize(request));
        using var node = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await node.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(node.ExitCode == 0, "mint-tokens.mjs failed: " + await stderr);
        return JsonSerializer.Deserialize<Dictionary<string, string>>(await stdout)!;
    }
}
