namespace Telephony.Cli.Media;

/// <summary>`telephony media`: placeholder until the verb lands (see issues).</summary>
internal static class MediaCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        _ = args;
        _ = output;
        await error.WriteLineAsync("telephony media: not available yet");
        return 2;
    }
}
