using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using Telephony.Core.Accounts;
using Telephony.Core.Admission;
using Telephony.Core.Applications;
using Telephony.Core.Batches;
using Telephony.Core.Calls;
using Telephony.Core.Dispatch;
using Telephony.Core.Limits;
using Telephony.Core.Messaging;
using Telephony.Core.Notifications;
using Telephony.Core.Numbers;
using Telephony.Core.Presence;
using Telephony.Core.Recordings;
using Telephony.Core.Storage;
using Telephony.Core.Tokens;
using Telephony.Functions.Api.Endpoints;
using Telephony.Functions.Api.Pipeline;

namespace Telephony.Functions.Api;

/// <summary>Composition of the REST API (2010-04-01): services, middleware, endpoints, OpenAPI.</summary>
public static class TelephonyApi
{
    /// <summary>Lets tenants claim any E.164 number while the operator's inventory is empty.</summary>
    public const string AnyNumberSetting = "Telephony:Numbers:AnyNumberWhenInventoryEmpty";

    /// <summary>The storage connection setting shared with the Functions host.</summary>
    public const string StorageSetting = StorageSettings.Key;

    public static IServiceCollection AddTelephonyApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ApiOptions>()
            .Bind(configuration.GetSection(ApiOptions.Section))
            .Validate(
                o => o.RequestsPerSecond > 0 && o.Burst >= 1 && o.MaxBodyBytes > 0 && o.MaxBatchBodyBytes > 0,
                "Telephony:Api needs RequestsPerSecond > 0, Burst >= 1, MaxBodyBytes > 0 and MaxBatchBodyBytes > 0.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => StorageSettings.CreateClients(key => sp.GetRequiredService<IConfiguration>()[key]));
        services.TryAddSingleton<AccountStore>();
        services.TryAddSingleton<ApiKeyStore>();
        services.TryAddSingleton(sp => new SecretSealer(sp.GetRequiredService<IConfiguration>()[SecretSealer.Setting]));
        services.TryAddSingleton<ApplicationStore>();
        services.TryAddSingleton<PresenceRegistry>();
        services.TryAddSingleton<CallStore>();
        services.TryAddSingleton<MessageQueue>();
        services.TryAddSingleton<CallService>();
        services.TryAddSingleton<AdmissionStore>();
        services.TryAddSingleton<TenantRunningCalls>();
        services.TryAddSingleton<CallBatchStore>();
        services.TryAddSingleton<BatchCallQueries>();
        services.TryAddSingleton<CallBatchService>();
        services.TryAddSingleton(sp => new PhoneNumberStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TimeProvider>(), PhoneNumberSettings(sp.GetRequiredService<IConfiguration>())));
        services.TryAddSingleton<NumberInventory>();
        services.TryAddSingleton<PhoneNumberDirectory>();
        services.TryAddSingleton<RecordingStore>();
        services.TryAddSingleton<NotificationStore>();
        services.TryAddSingleton(sp => new CredentialVerifier(
            sp.GetRequiredService<AccountStore>(),
            sp.GetRequiredService<ApiKeyStore>(),
            sp.GetRequiredService<IConfiguration>()[ApiOptions.AdminKeySetting]));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ApiOptions>>().Value;
            return new AccountRateLimiter(options.RequestsPerSecond, options.Burst, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton<ApiAuthenticator>();
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Telephony.Serverless REST API (Twilio 2010-04-01 compatible)";
            document.Info.Description = "HTTP Basic auth: AccountSid:AuthToken, ApiKeySid:Secret, or admin:<operator key> for account management.";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["basic"] = new OpenApiSecurityScheme { Type = SecuritySchemeType.Http, Scheme = "basic" };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("basic", document)] = [] }];
            return Task.CompletedTask;
        }));
        return services;
    }

    /// <summary>Any E.164 number may be taken while the inventory is empty, except on the Functions host (Azure) unless configured.</summary>
    private static PhoneNumberOptions PhoneNumberSettings(IConfiguration configuration) => new()
    {
        AnyNumberWhenInventoryEmpty = configuration.GetValue<bool?>(AnyNumberSetting)
            ?? Hosting.HostModes.Resolve(configuration) != Hosting.HostMode.FunctionsHost,
    };

    /// <summary>Adds the API's error middleware and maps every endpoint; the reference page is served unless hosted by Azure Functions.</summary>
    public static WebApplication MapTelephonyApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<ApiErrorMiddleware>();

        var api = app.MapGroup(ApiRoutes.Version);
        api.MapAccounts();
        var account = api.MapGroup("/Accounts/{AccountSid}").RequireAccountOwner();
        account.MapCalls();
        account.MapKeys();
        account.MapApplications();
        app.MapClients();
        account.MapIncomingPhoneNumbers();
        account.MapRecordings();
        account.MapNotifications();
        app.MapPhoneNumberInventory();
        app.MapCapacityAdmin();
        app.MapSimulations();
        app.MapCallBatches();

        app.MapOpenApi();
        if (!string.Equals(app.Configuration[Hosting.HostModes.ConfigurationKey], "FunctionsHost", StringComparison.OrdinalIgnoreCase))
        {
            app.MapScalarApiReference();
        }

        return app;
    }
}
