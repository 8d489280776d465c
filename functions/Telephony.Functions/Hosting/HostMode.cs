namespace Telephony.Functions.Hosting;

/// <summary>How the program is run (configuration key <c>Telephony:HostMode</c>).</summary>
internal enum HostMode
{
    /// <summary>Plays the Functions host on loopback: serves HTTP, polls queues, fires timers, starts Azurite if needed.</summary>
    Local,

    /// <summary>Started by the real Azure Functions host as a custom handler: serves HTTP and invocation endpoints only.</summary>
    FunctionsHost,

    /// <summary>Serves HTTP only: no pollers, timers or Azurite (API tests).</summary>
    ApiOnly,
}

internal static class HostModes
{
    public const string ConfigurationKey = "Telephony:HostMode";

    /// <summary>The environment variable the Functions host sets for a custom handler.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static HostMode Resolve(IConfiguration configuration)
    {
        var configured = configuration[ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Enum.TryParse<HostMode>(configured.Trim(), ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                ? mode
                : throw new InvalidOperationException(
                    $"{ConfigurationKey} is '{configured}'; expected Local, FunctionsHost or ApiOnly.");
        }

        return string.IsNullOrEmpty(configuration[CustomHandlerPortVariable]) ? HostMode.Local : HostMode.FunctionsHost;
    }
}
