using Telephony.Functions.Hosting.Configuration;

namespace Telephony.Functions.Hosting.Protocol;

/// <summary>Runs one invocation of a registered queue or timer function in its own DI scope.</summary>
internal sealed class FunctionInvoker(FunctionRegistry registry, FunctionAppProvider functionApp, IServiceScopeFactory scopes)
{
    public async Task InvokeAsync(FunctionRegistration registration, InvocationRequest request, CancellationToken cancellationToken)
    {
        var bindingName = functionApp.TryGet()?.Find(registration.Name)?.Trigger.Name;
        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService(registration.HandlerType);
        switch (registration.Kind)
        {
            case TriggerKind.Queue:
                var message = TriggerPayloadReader.ReadQueueMessage(registration.Name, request, bindingName);
                await ((IQueueFunction)handler).RunAsync(message, cancellationToken);
                break;
            case TriggerKind.Timer:
                var timer = TriggerPayloadReader.ReadTimer(registration.Name, request, bindingName);
                await ((ITimerFunction)handler).RunAsync(timer, cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"{registration.Kind} functions are not invoked through this path.");
        }
    }

    public FunctionRegistration? Find(string name) => registry.Find(name);
}
