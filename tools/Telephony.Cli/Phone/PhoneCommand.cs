namespace Telephony.Cli.Phone;

/// <summary>`telephony phone listen|call`: a terminal softphone on Telephony.Sip. Runs until stopped (Ctrl+C) or the call ends.</summary>
internal static class PhoneCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await RunAsync(args, output, error, stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Length > 0 && args[0] is "-h" or "--help")
        {
            await output.WriteLineAsync(PhoneOptions.Usage);
            return 0;
        }

        if (!PhoneOptions.TryParse(args, out var options, out var problem))
        {
            await error.WriteLineAsync($"telephony phone: {problem}");
            await error.WriteLineAsync(PhoneOptions.Usage);
            return 2;
        }

        var events = TextWriter.Synchronized(output);
        try
        {
            return options.Mode == "listen"
                ? await PhoneListener.RunAsync(options, events, cancellationToken)
                : await PhoneCaller.RunAsync(options, events, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or System.Net.Sockets.SocketException or FormatException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"telephony phone: {exception.Message}");
            return 1;
        }
    }
}
