using System.Diagnostics;
using System.Text;

namespace Telephony.Testing;

/// <summary>The outcome of one sipp run: exit code (0 = every call succeeded), output and its error log.</summary>
public sealed record SippResult(int ExitCode, string Output, string Errors)
{
    public override string ToString() => $"sipp exit {ExitCode}\n{Errors}\n{Output[Math.Max(0, Output.Length - 3000)..]}";
}

/// <summary>Runs the real sipp (Debian sip-tester) on loopback with bounded calls and a global timeout.</summary>
public static class SippRunner
{
    /// <summary>Starts sipp; the task completes when it exits (or is killed after <paramref name="timeout"/>).</summary>
    /// <param name="readFiles">Called with sipp's working folder (its trace files) before the folder is deleted.</param>
    /// <param name="files">Files to put in sipp's working folder first (name → bytes), e.g. the audio an rtp_stream action sends.</param>
    public static async Task<SippResult> RunAsync(
        IEnumerable<string> arguments, TimeSpan timeout, Action<int>? onStarted = null, Action<string>? readFiles = null, IReadOnlyDictionary<string, byte[]>? files = null)
    {
        var directory = Directory.CreateTempSubdirectory("sipp-");
        try
        {
            foreach (var (name, bytes) in files ?? new Dictionary<string, byte[]>())
            {
                await File.WriteAllBytesAsync(Path.Combine(directory.FullName, name), bytes);
            }

            var start = new ProcessStartInfo(ExternalTool.Require("sipp", "sip-tester"))
            {
                WorkingDirectory = directory.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var argument in new[]
            {
                "-nostdin", "-trace_err", "-error_file", Path.Combine(directory.FullName, "errors.log"),
                "-timeout", $"{(int)timeout.TotalSeconds}s", "-timeout_error",
            })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start sipp");
            onStarted?.Invoke(process.Id);
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var guard = new CancellationTokenSource(timeout + TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            var errorsPath = Path.Combine(directory.FullName, "errors.log");
            var errors = File.Exists(errorsPath) ? await File.ReadAllTextAsync(errorsPath) : string.Empty;
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            readFiles?.Invoke(directory.FullName);
            return new SippResult(process.ExitCode, text, errors);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public static string[] Common(int localPort) => ["-i", "127.0.0.1", "-p", localPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", "1"];
}
