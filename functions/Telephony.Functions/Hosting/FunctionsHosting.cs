using Microsoft.Extensions.DependencyInjection.Extensions;
using Telephony.Core.Storage;
using Telephony.Functions.Hosting.Configuration;
using Telephony.Functions.Hosting.Local;
using Telephony.Functions.Hosting.Protocol;

namespace Telephony.Functions.Hosting;

/// <summary>Composition of the custom-handler side: host mode, storage, invocation endpoints and local host mode.</summary>
internal static class FunctionsHosting
{
    /// <summary>The storage connection setting, named as in every Functions app.</summary>
    public const string StorageKey = StorageSettings.Key;

    public const string LocalUrlsKey = "Telephony:LocalHost:Urls";
    public const string DefaultLocalUrl = "http://127.0.0.1:7071";

    /// <summary>
    /// Resolves the host mode and registers what it needs. In local mode with no storage configured it
    /// starts Azurite first and puts its connection string into configuration, so everything built
    /// afterwards (the API's storage clients included) sees it.
    /// </summary>
    public static async Task<HostMode> AddFunctionsHostingAsync(this WebApplicationBuilder builder)
    {
        var mode = HostModes.Resolve(builder.Configuration);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FunctionRegistry>();
        services.AddSingleton<FunctionAppProvider>();
        services.AddSingleton<FunctionInvoker>();
        services.TryAddSingleton(sp => StorageSettings.CreateClients(key => sp.GetRequiredService<IConfiguration>()[key]));

        switch (mode)
        {
            case HostMode.Local:
                await AddLocalHostAsync(builder);
                break;
            case HostMode.FunctionsHost:
                ListenOnCustomHandlerPort(builder);
                break;
        }

        return mode;
    }

    private static async Task AddLocalHostAsync(WebApplicationBuilder builder)
    {
        if (!HasConfiguredUrls(builder.Configuration))
        {
            builder.WebHost.UseUrls(builder.Configuration[LocalUrlsKey] ?? DefaultLocalUrl);
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration[StorageKey]))
        {
            using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
            var azurite = await AzuriteLauncher.StartAsync(
                builder.Configuration, builder.Environment.ContentRootPath, loggers.CreateLogger("Telephony.Functions.Azurite"));
            builder.Configuration[StorageKey] = azurite.ConnectionString;
            builder.Services.AddSingleton(azurite);
            builder.Services.AddHostedService<AzuriteLifetime>();
        }

        builder.Services.AddSingleton<SelfInvoker>();
        builder.Services.AddSingleton<LocalTriggerHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LocalTriggerHost>());
    }

    // The host passes --urls through host.json's arguments; without them, use the port it hands us.
    private static void ListenOnCustomHandlerPort(WebApplicationBuilder builder)
    {
        var port = builder.Configuration[HostModes.CustomHandlerPortVariable];
        if (!HasConfiguredUrls(builder.Configuration) && !string.IsNullOrEmpty(port))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
    }

    private static bool HasConfiguredUrls(ConfigurationManager configuration) =>
        !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
        || !string.IsNullOrWhiteSpace(configuration["http_ports"])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
}
