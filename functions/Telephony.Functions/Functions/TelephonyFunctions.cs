using Telephony.Functions.Hosting;

namespace Telephony.Functions.Functions;

/// <summary>Registers every queue- and timer-triggered function of the app (names match functions/&lt;name&gt;/function.json).</summary>
internal static class TelephonyFunctions
{
    public static IServiceCollection AddTelephonyFunctions(this IServiceCollection services) =>
        services.AddCapacity().AddQueueFunction<AdmitCallsFunction>(AdmitCallsFunction.Name)
            .AddQueueFunction<DeliverCallbacksFunction>(DeliverCallbacksFunction.Name);
}
