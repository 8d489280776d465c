using System.Text.Json;

namespace Telephony.Deployment.Tests.Packaging;

/// <summary>The custom-handler section of a host.json: what the Functions host starts and how.</summary>
public sealed record HostJson(string DefaultExecutablePath, string WorkingDirectory, IReadOnlyList<string> Arguments, bool EnableForwardingHttpRequest)
{
    public const string PortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static HostJson Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var handler = document.RootElement.GetProperty("customHandler");
        var description = handler.GetProperty("description");
        return new HostJson(
            description.GetProperty("defaultExecutablePath").GetString()!,
            description.TryGetProperty("workingDirectory", out var directory) ? directory.GetString() ?? string.Empty : string.Empty,
            description.TryGetProperty("arguments", out var arguments) ? arguments.EnumerateArray().Select(a => a.GetString()!).ToList() : [],
            handler.TryGetProperty("enableForwardingHttpRequest", out var forwarding) && forwarding.GetBoolean());
    }

    /// <summary>The arguments with <c>%FUNCTIONS_CUSTOMHANDLER_PORT%</c> expanded, as the host passes them.</summary>
    public IReadOnlyList<string> ArgumentsFor(int port) =>
        Arguments.Select(a => a.Replace($"%{PortVariable}%", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase)).ToList();
}
