using Microsoft.Extensions.DependencyInjection.Extensions;
using Telephony.Core.Storage;

namespace Telephony.MediaNode;

/// <summary>The node's settings: loopback address by default, storage from <c>AzureWebJobsStorage</c>.</summary>
internal static class NodeHosting
{
    public const string StorageKey = "AzureWebJobsStorage";
    public const string UrlsKey = "Telephony:MediaNode:Urls";
    public const string DefaultUrl = "http://127.0.0.1:7072";

    public static WebApplicationBuilder AddMediaNodeHosting(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(builder.Configuration[UrlsKey] ?? DefaultUrl);
        }

        var connection = builder.Configuration[StorageKey];
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException($"{StorageKey} (storage connection string) is not configured; run.sh passes it.");
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(new StorageClients(connection));
        return builder;
    }
}
