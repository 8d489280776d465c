namespace Telephony.Cli;

/// <summary>Top-level verb dispatch for the `telephony` tool.</summary>
internal static class CommandLine
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await output.WriteLineAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        switch (args[0])
        {
            case "phone":
                return await Phone.PhoneCommand.RunAsync(args[1..], output, error);
            case "media":
                return await Media.MediaCommand.RunAsync(args[1..], output, error);
        }

        await error.WriteLineAsync($"telephony: unknown verb '{args[0]}'");
        await error.WriteLineAsync(Usage);
        return 2;
    }

    private const string Usage = """
        usage: telephony <verb> [options]

        verbs:
          phone    a terminal softphone (listen | call)
          media    telephony audio tools (convert | say)
        """;
}
