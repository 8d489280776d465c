using System.Diagnostics;
using Telephony.Testing;

namespace Telephony.Media.Tests;

/// <summary>Runs ffmpeg and friends for reference data (no shell, bounded time).</summary>
internal static class ExternalProcessHelper
{
    public static async Task<byte[]> RunAsync(string tool, string debianPackage, IEnumerable<string> arguments, byte[]? stdin = null)
    {
        var start = new ProcessStartInfo(ExternalTool.Require(tool, debianPackage))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin, timeout.Token);
        }

        process.StandardInput.Close();
        await copy;
        var stderr = await errors;
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {stderr}");
        return output.ToArray();
    }

    public static Task<byte[]> FfmpegAsync(params string[] arguments) =>
        RunAsync("ffmpeg", "ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", .. arguments]);
}
