using System.Diagnostics;
using Telephony.Testing;

namespace Telephony.Twiml.Tests.Sdk;

/// <summary>Runs a script from this folder with node, resolving packages from the repository's node_modules.</summary>
internal static class NodeScript
{
    public static async Task<string> RunAsync(string scriptName, string stdin)
    {
        var node = ExternalTool.Require("node", "nodejs");
        var script = RepoPaths.Combine("tests", "Telephony.Twiml.Tests", "Sdk", scriptName);
        var start = new ProcessStartInfo(node, [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["NODE_PATH"] = RepoPaths.Combine("node_modules");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node {scriptName} exited {process.ExitCode}: {await stderr}");
        }

        return await stdout;
    }
}
