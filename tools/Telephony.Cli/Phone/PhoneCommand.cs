namespace Telephony.Cli.Phone;

/// <summary>`telephony phone`: placeholder until the verb lands (see issues).</summary>
internal static class PhoneCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        _ = args;
        _ = output;
        await error.WriteLineAsync("telephony phone: not available yet");
        return 2;
    }
}
