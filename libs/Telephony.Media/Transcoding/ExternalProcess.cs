using System.Diagnostics;
using System.Text;

namespace Telephony.Media.Transcoding;

/// <summary>
/// Runs one external tool safely: arguments as a list (never a shell), optional stdin bytes, stdout handed
/// to a consumer as a stream, stderr tail kept for the error message, and the whole process tree killed
/// when the timeout or the caller's cancellation fires.
/// </summary>
public static class ExternalProcess
{
    private const int StderrTailChars = 2048;

    public static async Task<T> RunAsync<T>(
        string executable,
        IEnumerable<string> arguments,
        ReadOnlyMemory<byte>? standardInput,
        Func<Stream, T> consumeStandardOutput,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(consumeStandardOutput);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var name = Path.GetFileName(executable);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new MediaException(MediaErrorCodes.MediaNotPlayable, $"could not start {name}: {error.Message}", error);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var killOnCancel = deadline.Token.Register(() => KillTree(process));
        var stderr = ReadTailAsync(process.StandardError);
        var stdin = FeedAsync(process, standardInput);
        try
        {
            var result = await Task.Run(() => consumeStandardOutput(process.StandardOutput.BaseStream), CancellationToken.None);

            // Drain what the consumer left so the tool can exit, then wait.
            await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            await stdin;
            if (process.ExitCode != 0)
            {
                throw new MediaException(MediaErrorCodes.MediaNotPlayable, $"{name} failed (exit code {process.ExitCode}): {(await stderr).Trim()}");
            }

            return result;
        }
        catch (Exception) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MediaException(MediaErrorCodes.MediaNotPlayable, $"{name} did not finish within {timeout.TotalSeconds:F0} s");
        }
        catch (MediaFormatException error)
        {
            KillTree(process);
            var detail = process.HasExited ? (await stderr).Trim() : string.Empty;
            throw new MediaException(MediaErrorCodes.MediaNotPlayable, $"{name} produced unusable audio: {error.Message} {detail}".TrimEnd(), error);
        }
        catch (Exception)
        {
            KillTree(process);
            throw;
        }
    }

    private static async Task FeedAsync(Process process, ReadOnlyMemory<byte>? input)
    {
        try
        {
            if (input is { } bytes)
            {
                await process.StandardInput.BaseStream.WriteAsync(bytes);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool stopped reading (it failed or was killed); its exit code tells the story.
        }
    }

    private static async Task<string> ReadTailAsync(StreamReader reader)
    {
        var tail = new StringBuilder();
        var buffer = new char[1024];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > StderrTailChars)
            {
                tail.Remove(0, tail.Length - StderrTailChars);
            }
        }

        return tail.ToString();
    }

    private static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
