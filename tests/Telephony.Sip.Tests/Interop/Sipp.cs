using Telephony.Testing;

namespace Telephony.Sip.Tests.Interop;

/// <summary>This project's sipp scenarios, run by the shared <see cref="SippRunner"/>.</summary>
internal static class Sipp
{
    public static string Scenario(string name) =>
        RepoPaths.Combine("tests", "Telephony.Sip.Tests", "Interop", "Scenarios", name + ".xml");

    public static Task<SippResult> RunAsync(IEnumerable<string> arguments, TimeSpan timeout, Action<int>? onStarted = null) =>
        SippRunner.RunAsync(arguments, timeout, onStarted);

    public static string[] Common(int localPort) => SippRunner.Common(localPort);
}
