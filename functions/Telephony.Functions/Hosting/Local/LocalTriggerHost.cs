using Telephony.Core.Scheduling;
using Telephony.Core.Storage;
using Telephony.Functions.Hosting.Configuration;

namespace Telephony.Functions.Hosting.Local;

/// <summary>
/// Local host mode's trigger side: once the server listens, runs a <see cref="QueuePoller"/> per queue
/// function and a <see cref="TimerScheduler"/> per timer function declared in function.json that has a
/// registered handler; stops them on shutdown.
/// </summary>
internal sealed class LocalTriggerHost(
    FunctionAppProvider functionApp,
    FunctionRegistry registry,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    TimeProvider time,
    ILoggerFactory loggers) : IHostedService, IDisposable
{
    private static readonly TimeSpan LoopRestartDelay = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private readonly Dictionary<string, TimerScheduler> _timers = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, QueuePoller> _pollers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ILogger _logger = loggers.CreateLogger<LocalTriggerHost>();

    public IReadOnlyDictionary<string, TimerScheduler> Timers => _timers;

    public IReadOnlyDictionary<string, QueuePoller> Pollers => _pollers;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var app = functionApp.Get();
        CreateTriggers(app);
        // Triggers invoke over HTTP, so they start once the server has its address, and stop as soon
        // as shutdown begins (before the server drains), so in-flight invocations are cancelled, not awaited.
        lifetime.ApplicationStarted.Register(StartLoops);
        lifetime.ApplicationStopping.Register(_stopping.Cancel);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await Task.WhenAll(_loops).WaitAsync(cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    public void Dispose() => _stopping.Dispose();

    private void CreateTriggers(FunctionApp app)
    {
        var invoker = services.GetRequiredService<SelfInvoker>();
        foreach (var function in app.Functions)
        {
            if (function.Trigger.Kind == TriggerKind.Http || IsDisabled(function))
            {
                continue;
            }

            if (registry.Find(function.Name) is not { } registration || registration.Kind != function.Trigger.Kind)
            {
                _logger.LogWarning("Function {FunctionName} ({Trigger}) has no registered handler; it will not run", function.Name, function.Trigger.Kind);
                continue;
            }

            var logger = loggers.CreateLogger("Telephony.Functions.LocalHost." + function.Name);
            if (function.Trigger.Kind == TriggerKind.Queue)
            {
                RequireDefaultConnection(function);
                var connection = services.GetRequiredService<StorageClients>().ConnectionString
                    ?? throw new InvalidOperationException($"Local host mode needs {FunctionsHosting.StorageKey} as a connection string.");
                _pollers[function.Name] = new QueuePoller(function.Name, function.Trigger, app.Host.Queues, connection, invoker, time, logger);
            }
            else
            {
                var schedule = NCrontabSchedule.Parse(ResolveSetting(function.Trigger.Schedule!));
                _timers[function.Name] = new TimerScheduler(function.Name, function.Trigger, schedule, invoker, time, logger);
            }
        }
    }

    private void StartLoops()
    {
        foreach (var poller in _pollers.Values)
        {
            _loops.Add(RunLoopAsync(poller.QueueName, poller.RunAsync));
        }

        foreach (var timer in _timers.Values)
        {
            _loops.Add(RunLoopAsync(timer.FunctionName, timer.RunAsync));
        }
    }

    // A loop that crashes is logged and restarted after a pause, so one bad moment does not stop a trigger for good.
    private async Task RunLoopAsync(string name, Func<CancellationToken, Task> loop)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Run(() => loop(_stopping.Token));
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Local trigger loop {Name} failed; restarting in {Delay}", name, LoopRestartDelay);
            }

            try
            {
                await Task.Delay(LoopRestartDelay, time, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // "%Name%" in function.json is an app-setting reference, as in the Functions host.
    private string ResolveSetting(string value) =>
        value.Length > 2 && value[0] == '%' && value[^1] == '%'
            ? configuration[value[1..^1]] ?? throw new InvalidOperationException($"App setting '{value[1..^1]}' referenced by function.json is not set.")
            : value;

    private bool IsDisabled(FunctionDefinition function) =>
        function.Disabled
        || bool.TryParse(configuration[$"AzureWebJobs:{function.Name}:Disabled"], out var disabled) && disabled
        || bool.TryParse(configuration[$"AzureWebJobs.{function.Name}.Disabled"], out disabled) && disabled;

    private static void RequireDefaultConnection(FunctionDefinition function)
    {
        var connection = function.Trigger.Connection;
        if (!string.IsNullOrEmpty(connection) && !connection.Equals(FunctionsHosting.StorageKey, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Function {function.Name} uses connection '{connection}'; local host mode supports only {FunctionsHosting.StorageKey}.");
        }
    }
}
