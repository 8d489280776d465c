using Microsoft.Extensions.DependencyInjection.Extensions;
using Telephony.Core.Accounts;
using Telephony.Core.Applications;
using Telephony.Core.Numbers;
using Telephony.Core.Storage;

namespace Telephony.MediaNode.Inbound;

/// <summary>The services inbound calls need; the node composition adds them with one call.</summary>
public static class InboundCallsRegistration
{
    public static IServiceCollection AddInboundCalls(this IServiceCollection services)
    {
        services.AddSingleton(sp => new PhoneNumberStore(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new PhoneNumberDirectory(sp.GetRequiredService<StorageClients>(), sp.GetRequiredService<PhoneNumberStore>()));
        services.AddSingleton<CachedPhoneNumberDirectory>();
        services.TryAddSingleton<CachedAccounts>();
        services.AddSingleton<ApplicationStore>();
        services.AddSingleton<InboundRouter>();
        services.AddSingleton<InboundLimitRefusal>();
        services.AddSingleton<InboundCallListener>();
        services.AddHostedService(sp => sp.GetRequiredService<InboundCallListener>());
        return services;
    }
}
