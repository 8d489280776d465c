using Microsoft.Extensions.DependencyInjection.Extensions;
using Telephony.Core.Accounts;
using Telephony.Core.Calls;
using Telephony.Functions.Hosting;
using Telephony.Media.Cache;
using Telephony.Twiml.Fetching;
using Telephony.Twiml.Remote;

namespace Telephony.Functions.Nodes;

/// <summary>Composition of the node API (docs/NODE-API.md): node key, instructions and media endpoints.</summary>
internal static class NodeApiComposition
{
    /// <summary>Tests and development only: lets tenant and media URLs reach loopback and private networks outside Local mode.</summary>
    public const string AllowInternalSetting = "Telephony:Nodes:AllowInternalAddresses";

    /// <summary>The Blob container of the shared media level.</summary>
    public const string MediaContainer = Core.Storage.ContainerNames.Media;

    public static IServiceCollection AddNodeApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var allowInternal = AllowsInternalAddresses(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AccountStore>();
        services.TryAddSingleton<CachedAccounts>();
        services.TryAddSingleton<CallStore>();
        services.AddSingleton<NodeKeyVerifier>();
        services.AddSingleton(sp => new InstructionFetcher(
            new InstructionFetcherOptions { AllowInternalAddresses = allowInternal }, sp.GetRequiredService<ILogger<InstructionFetcher>>()));
        services.AddSingleton<InstructionsEndpoint>();
        services.AddSingleton(sp =>
        {
            var options = new MediaCacheOptions { AllowPrivateAddresses = allowInternal };
            var time = sp.GetRequiredService<TimeProvider>();
            return new MediaCache(
                new BlobMediaStore(sp.GetRequiredService<Core.Storage.StorageClients>().Container(MediaContainer)),
                new HttpMediaFetcher(options, time),
                options,
                time: time,
                logger: sp.GetRequiredService<ILogger<MediaCache>>());
        });
        return services;
    }

    public static WebApplication MapNodeApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var node = app.MapGroup("/node/v1").HandleNodeErrors().RequireNodeKey();
        node.MapPost("/instructions", (HttpContext http, InstructionsEndpoint endpoint) => endpoint.HandleAsync(http))
            .ExcludeFromDescription();
        node.MapPost("/media", MediaEndpoints.ResolveAsync).ExcludeFromDescription();
        node.MapGet("/media/{address}", MediaEndpoints.DownloadAsync).ExcludeFromDescription();
        return app;
    }

    public static bool AllowsInternalAddresses(IConfiguration configuration) =>
        HostModes.Resolve(configuration) == HostMode.Local
        || string.Equals(configuration[AllowInternalSetting], "true", StringComparison.OrdinalIgnoreCase);
}
