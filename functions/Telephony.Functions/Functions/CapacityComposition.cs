using Microsoft.Extensions.DependencyInjection.Extensions;
using Telephony.Core.Admission;
using Telephony.Core.Capacity;
using Telephony.Core.Messaging;
using Telephony.Core.Nodes;
using Telephony.Functions.Hosting;

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
        services.TryAddSingleton<NodeStore>();
        services.TryAddSingleton<CapacityPlanStore>();
        services.TryAddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(CapacitySettings.Section).Get<CapacitySettings>() ?? new CapacitySettings());
        services.TryAddSingleton<CapacityAnalyzer>();
        return services.AddTimerFunction<AnalyzeCapacityFunction>(AnalyzeCapacityFunction.Name);
    }
}
