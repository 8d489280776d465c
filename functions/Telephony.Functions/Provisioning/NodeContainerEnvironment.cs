using Telephony.Core.Storage;
using Telephony.Core.Tokens;
using Telephony.Functions.Nodes;
using Telephony.Hosting.Telemetry;

namespace Telephony.Functions.Provisioning;

/// <summary>
/// The configuration a media node container starts with, taken from the function app's own settings: the same
/// storage (service URIs, reached with the node identity), the node key and secrets key (secure values), where
/// the functions are, the node's SIP/RTP ports and limits, and the telemetry exporters.
/// </summary>
internal sealed class NodeContainerEnvironment(ContainerInstanceOptions options, Func<string, string?> setting)
{
    /// <summary>App Service sets this to the app's default host name.</summary>
    public const string WebsiteHostNameKey = "WEBSITE_HOSTNAME";

    public IReadOnlyList<NodeVariable> For(string nodeId)
    {
        var variables = new List<NodeVariable>
        {
            Plain(StorageSettings.BlobServiceUriKey, Required(StorageSettings.BlobServiceUriKey)),
            Plain(StorageSettings.QueueServiceUriKey, Required(StorageSettings.QueueServiceUriKey)),
            Plain(StorageSettings.TableServiceUriKey, Required(StorageSettings.TableServiceUriKey)),
            Plain(StorageSettings.ClientIdKey, options.IdentityClientId),
            Plain("Telephony:Node:Id", nodeId),
            Plain("Telephony:Node:FunctionsUrl", FunctionsUrl()),
            Plain("Telephony:Node:SipListen:0", $"udp:0.0.0.0:{options.SipPort}"),
            Plain("Telephony:Node:SipListen:1", $"tcp:0.0.0.0:{options.SipPort}"),
            Plain("Telephony:Node:RtpAddress", "0.0.0.0"),
            Plain("Telephony:Node:PublicHostName", ContainerGroupBody.HostName(options.NamePrefix + nodeId, options.Location)),
            NodeVariable.Of(Name("Telephony:Node:RtpPortMin"), options.RtpPortMin),
            NodeVariable.Of(Name("Telephony:Node:RtpPortMax"), options.RtpPortMax),
            NodeVariable.Of(Name("Telephony:Node:MaxConcurrentCalls"), options.MaxConcurrentCalls),
            new(Name(NodeKeyVerifier.Setting), Required(NodeKeyVerifier.Setting), Secret: true),
        };
        if (setting(SecretSealer.Setting) is { Length: > 0 } secretsKey)
        {
            variables.Add(new(Name(SecretSealer.Setting), secretsKey, Secret: true));
        }

        if (setting(TelemetrySetup.OtlpEndpointKey) is { Length: > 0 } otlp)
        {
            variables.Add(Plain(TelemetrySetup.OtlpEndpointKey, otlp));
        }

        if (setting(TelemetrySetup.ApplicationInsightsKey) is { Length: > 0 } applicationInsights)
        {
            variables.Add(new(TelemetrySetup.ApplicationInsightsKey, applicationInsights, Secret: true));

            // Ingestion with Entra ID: nodes authenticate as their own (user-assigned) identity.
            variables.Add(Plain(TelemetrySetup.ApplicationInsightsAuthenticationKey, $"Authorization=AAD;ClientId={options.IdentityClientId}"));
        }

        return variables;
    }

    /// <summary>A configuration key as an environment variable name (':' becomes '__').</summary>
    public static string Name(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static NodeVariable Plain(string key, string value) => new(Name(key), value);

    private string FunctionsUrl() =>
        options.FunctionsUrl is { Length: > 0 } url ? url
        : setting(WebsiteHostNameKey) is { Length: > 0 } host ? "https://" + host
        : throw new InvalidOperationException($"{ContainerInstanceOptions.Section}:FunctionsUrl is not set and neither is {WebsiteHostNameKey}: nodes would not know where the functions are.");

    private string Required(string key) =>
        setting(key) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{key} must be set: media nodes in Azure Container Instances need it.");
}
