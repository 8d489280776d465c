namespace Telephony.Functions.Hosting.Protocol;

/// <summary>Headers the Functions host puts on every request to a custom handler.</summary>
internal static class InvocationHeaders
{
    public const string InvocationId = "X-Azure-Functions-InvocationId";
    public const string HostVersion = "X-Azure-Functions-HostVersion";
    public const string UserAgentProduct = "Azure-Functions-Host";
}
