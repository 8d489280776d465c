using Microsoft.Extensions.DependencyInjection.Extensions;
using Telephony.Core.Admission;
using Telephony.Core.Messaging;

namespace Telephony.Functions.Functions;

/// <summary>Services of fair admission, capacity analysis and node allocation.</summary>
internal static class CapacityComposition
{
    public static IServiceCollection AddCapacity(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MessageQueue>();
        services.TryAddSingleton<AdmissionStore>();
        services.TryAddSingleton<CallAdmitter>();
        return services;
    }
}
