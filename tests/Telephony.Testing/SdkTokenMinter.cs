using System.Diagnostics;
using System.Text.Json;

namespace Telephony.Testing;

/// <summary>
/// Mints Twilio client tokens with the official twilio npm SDK (tests/sdk/mint-tokens.mjs) in a node
/// child process; the request shape is documented at the top of that script.
/// </summary>
public static class SdkTokenMinter
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

        return node.ExitCode == 0
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(await stdout)!
            : throw new InvalidOperationException("mint-tokens.mjs failed: " + await stderr);
    }
}
