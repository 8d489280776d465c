using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Telephony.Functions.Hosting.Protocol;

namespace Telephony.Functions.Hosting.Local;

/// <summary>
/// Invokes a function the way the Functions host does: an HTTP POST of the invocation body to
/// <c>/{FunctionName}</c> on this program's own listening address, with the host's headers.
/// </summary>
internal sealed class SelfInvoker(IServer server, IConfiguration configuration, ILogger<SelfInvoker> logger) : IDisposable
{
    public const string AddressKey = "Telephony:LocalHost:InvocationAddress";
    private static readonly TimeSpan FunctionTimeout = TimeSpan.FromMinutes(5);

    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private Uri? _baseAddress;

    /// <summary>True when the function answered 2xx; false (logged) on any failure.</summary>
    public async Task<bool> InvokeAsync(string functionName, JsonObject payload, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(FunctionTimeout);
        var invocationId = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress(), Uri.EscapeDataString(functionName)))
        {
            Content = JsonContent.Create(payload),
        };
        request.Headers.Add(InvocationHeaders.InvocationId, invocationId);
        request.Headers.Add(InvocationHeaders.HostVersion, "local");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue(InvocationHeaders.UserAgentProduct, "local"));
        try
        {
            using var response = await _http.SendAsync(request, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            logger.LogWarning("Invocation {InvocationId} of {FunctionName} failed with {StatusCode}: {Detail}", invocationId, functionName, (int)response.StatusCode, detail);
            return false;
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Invocation {InvocationId} of {FunctionName} failed: {Error}", invocationId, functionName, ex.Message);
            return false;
        }
    }

    public void Dispose() => _http.Dispose();

    private Uri BaseAddress() => _baseAddress ??= ResolveBaseAddress();

    private Uri ResolveBaseAddress()
    {
        var configured = configuration[AddressKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new Uri(configured.TrimEnd('/') + "/");
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var http = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"The server has no http:// address to invoke functions on; set {AddressKey}.");
        var builder = new UriBuilder(http);
        if (builder.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*" or "localhost")
        {
            // Wildcard bindings are reached over loopback.
            builder.Host = "127.0.0.1";
        }

        builder.Path = "/";
        return builder.Uri;
    }
}
