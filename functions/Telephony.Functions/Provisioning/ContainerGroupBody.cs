using System.Globalization;
using System.Text.Json.Nodes;

namespace Telephony.Functions.Provisioning;

/// <summary>
/// The <c>properties</c> of one media node's container group (Microsoft.ContainerInstance/containerGroups): one
/// Linux container with the node image, CPU and memory, SIP (UDP and TCP) and RTP (UDP) ports on a public IP,
/// its environment (secrets as secure values, never returned by ARM), the image pulled with the node identity.
/// </summary>
internal static class ContainerGroupBody
{
    public const string ContainerName = "media-node";

    /// <summary>Restart a crashed node in place (same id, heartbeat resumes); the allocator deletes nodes it no longer wants.</summary>
    public const string RestartPolicy = "OnFailure";

    /// <summary>Azure Container Instances publishes a group's name label as <c>{label}.{region}.azurecontainer.io</c>.</summary>
    public static string HostName(string dnsNameLabel, string location) =>
        $"{dnsNameLabel}.{location.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant()}.azurecontainer.io";

    public static JsonObject Properties(ContainerInstanceOptions options, IReadOnlyList<NodeVariable> environment, string dnsNameLabel)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var properties = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = ContainerName,
                ["properties"] = new JsonObject
                {
                    ["image"] = options.Image,
                    ["ports"] = Ports(options),
                    ["environmentVariables"] = new JsonArray([.. environment.Select(Variable)]),
                    ["resources"] = new JsonObject
                    {
                        ["requests"] = new JsonObject { ["cpu"] = options.CpuCores, ["memoryInGB"] = options.MemoryGb },
                    },
                },
            }),
            ["osType"] = "Linux",
            ["restartPolicy"] = RestartPolicy,
            // The name label is how the node learns its own public IP (it sees only a private one) for Contact and SDP.
            ["ipAddress"] = new JsonObject { ["type"] = "Public", ["ports"] = Ports(options), ["dnsNameLabel"] = dnsNameLabel },
        };
        if (RegistryServer(options.Image) is { } server)
        {
            properties["imageRegistryCredentials"] = new JsonArray(new JsonObject { ["server"] = server, ["identity"] = options.IdentityResourceId });
        }

        return properties;
    }

    /// <summary>The registry host of an image like <c>myregistry.azurecr.io/name:tag</c>; null for Docker Hub names.</summary>
    public static string? RegistryServer(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && image[..slash] is var host && (host.Contains('.', StringComparison.Ordinal) || host.Contains(':', StringComparison.Ordinal))
            ? host
            : null;
    }

    private static JsonArray Ports(ContainerInstanceOptions options)
    {
        var ports = new JsonArray(Port(options.SipPort, "UDP"), Port(options.SipPort, "TCP"));
        for (var port = options.RtpPortMin; port <= options.RtpPortMax; port++)
        {
            ports.Add(Port(port, "UDP"));
        }

        return ports;
    }

    private static JsonObject Port(int port, string protocol) => new() { ["port"] = port, ["protocol"] = protocol };

    private static JsonObject Variable(NodeVariable variable) => variable.Secret
        ? new JsonObject { ["name"] = variable.Name, ["secureValue"] = variable.Value }
        : new JsonObject { ["name"] = variable.Name, ["value"] = variable.Value };
}

/// <summary>One environment variable of a node container; <see cref="Secret"/> ones go as secure values.</summary>
internal sealed record NodeVariable(string Name, string Value, bool Secret = false)
{
    public static NodeVariable Of(string name, int value) => new(name, value.ToString(CultureInfo.InvariantCulture));
}
