using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Telephony.Core.Accounts;
using Telephony.Core.Callbacks;
using Telephony.Core.Calls;
using Telephony.Core.Messaging;
using Telephony.Functions.Nodes;

namespace Telephony.Functions.Functions.Callbacks;

/// <summary>What deliver-callbacks needs: options, the per-call progress table and the signed sender.</summary>
internal static class CallbackDeliveryServices
{
    public static IServiceCollection AddCallbackDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CallbackDeliveryOptions>()
            .Bind(configuration.GetSection(CallbackDeliveryOptions.Section))
            .Validate(o => o.MaxAttempts >= 1 && o.FirstRetryDelay >= TimeSpan.Zero && o.RequestTimeout > TimeSpan.Zero,
                "Telephony:Callbacks needs MaxAttempts >= 1, FirstRetryDelay >= 0 and RequestTimeout > 0.");
        var allowInternal = NodeApiComposition.AllowsInternalAddresses(configuration);
        services.TryAddSingleton<AccountStore>();
        services.TryAddSingleton<CachedAccounts>();
        services.TryAddSingleton<CallEventStore>();
        services.TryAddSingleton<CallStore>();
        services.TryAddSingleton<CommittedCallbacks>();
        services.TryAddSingleton<MessageQueue>();
        services.TryAddSingleton<CallbackProgressStore>();
        services.TryAddSingleton(sp => new CallbackSender(allowInternal, sp.GetRequiredService<IOptions<CallbackDeliveryOptions>>().Value.RequestTimeout));
        return services;
    }
}
