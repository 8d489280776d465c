namespace Telephony.Functions.Provisioning;

/// <summary>
/// Where and how media nodes run as Azure Container Instances (section Telephony:Nodes; infra/main.bicep writes
/// every key). Used when <c>Telephony:Capacity:Provisioner</c> is <c>ContainerInstances</c>.
/// </summary>
internal sealed class ContainerInstanceOptions
{
    public const string Section = "Telephony:Nodes";

    /// <summary>Azure Resource Manager; a test points it at a loopback stand-in.</summary>
    public Uri ArmEndpoint { get; set; } = new("https://management.azure.com/");

    public string SubscriptionId { get; set; } = string.Empty;

    /// <summary>The resource group container groups are created in (the allocator's own; it owns all of them).</summary>
    public string ResourceGroup { get; set; } = string.Empty;

    public string Location { get; set; } = string.Empty;

    /// <summary>Media-node image, e.g. myregistry.azurecr.io/telephony-media-node:1.0 (pulled with the node identity).</summary>
    public string Image { get; set; } = string.Empty;

    public double CpuCores { get; set; } = 1;

    public double MemoryGb { get; set; } = 1.5;

    /// <summary>SIP port, opened for UDP and TCP.</summary>
    public int SipPort { get; set; } = 5060;

    /// <summary>RTP ports (UDP), inclusive; each becomes a container port.</summary>
    public int RtpPortMin { get; set; } = 10000;

    public int RtpPortMax { get; set; } = 10199;

    public int MaxConcurrentCalls { get; set; } = 50;

    /// <summary>The user-assigned identity nodes run as (storage, image pull).</summary>
    public string IdentityResourceId { get; set; } = string.Empty;

    public string IdentityClientId { get; set; } = string.Empty;

    /// <summary>Where nodes reach the functions' node endpoints; default https:// plus the app's WEBSITE_HOSTNAME.</summary>
    public string? FunctionsUrl { get; set; }

    /// <summary>Container group names are this prefix plus the node id; only groups with the prefix are listed or deleted.</summary>
    public string NamePrefix { get; set; } = "telephony-node-";
}
