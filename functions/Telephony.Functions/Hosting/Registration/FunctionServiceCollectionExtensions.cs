using Microsoft.Extensions.DependencyInjection.Extensions;
using Telephony.Functions.Hosting.Configuration;

namespace Telephony.Functions.Hosting;

/// <summary>
/// Adds queue and timer functions. The name is the function's folder under functions/ (its function.json
/// declares the queue or schedule); the handler is resolved per invocation from a fresh DI scope.
/// </summary>
internal static class FunctionServiceCollectionExtensions
{
    public static IServiceCollection AddQueueFunction<TFunction>(this IServiceCollection services, string functionName)
        where TFunction : class, IQueueFunction =>
        services.AddFunction<TFunction>(functionName, TriggerKind.Queue);

    public static IServiceCollection AddTimerFunction<TFunction>(this IServiceCollection services, string functionName)
        where TFunction : class, ITimerFunction =>
        services.AddFunction<TFunction>(functionName, TriggerKind.Timer);

    private static IServiceCollection AddFunction<TFunction>(this IServiceCollection services, string functionName, TriggerKind kind)
        where TFunction : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        if (functionName.AsSpan().IndexOfAny(['/', '?', '#', '{', '}']) >= 0)
        {
            throw new ArgumentException($"'{functionName}' is not a valid function name.", nameof(functionName));
        }

        services.AddSingleton(new FunctionRegistration(functionName, kind, typeof(TFunction)));
        services.TryAddScoped<TFunction>();
        services.TryAddSingleton<FunctionRegistry>();
        return services;
    }
}
