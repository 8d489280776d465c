using Telephony.Core.Scheduling;
using Telephony.Functions.Hosting.Configuration;
using Telephony.Functions.Hosting.Protocol;

namespace Telephony.Functions.Hosting.Local;

/// <summary>
/// Plays the Functions host's timer trigger for one function: waits (on <see cref="TimeProvider"/>)
/// until the schedule's next occurrence and invokes the function. A failed timer invocation is logged,
/// not retried, as in the host. Schedule status is kept in memory (the host keeps it in blob storage).
/// </summary>
internal sealed class TimerScheduler(
    string functionName,
    TriggerBinding trigger,
    NCrontabSchedule schedule,
    SelfInvoker invoker,
    TimeProvider time,
    ILogger logger)
{
    // Longer waits are split so the timer never exceeds what the runtime's timers accept.
    private static readonly TimeSpan MaximumWait = TimeSpan.FromHours(12);
    private static readonly TimeSpan PastDueTolerance = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private DateTimeOffset? _nextDue;

    public string FunctionName => functionName;

    public NCrontabSchedule Schedule => schedule;

    /// <summary>The occurrence the scheduler is currently waiting for (null before the first wait).</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                return _nextDue;
            }
        }

        private set
        {
            lock (_gate)
            {
                _nextDue = value;
            }
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? last = null;
        var statusUpdated = time.GetUtcNow();
        if (trigger.RunOnStartup && schedule.GetNextOccurrence(statusUpdated) is { } first)
        {
            await InvokeAsync(isPastDue: false, last, first, statusUpdated, cancellationToken);
        }

        logger.LogInformation("Timer {FunctionName} scheduled on '{Schedule}'", functionName, schedule.Expression);
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (schedule.GetNextOccurrence(now) is not { } next)
            {
                logger.LogWarning("Timer {FunctionName} schedule '{Schedule}' has no future occurrence", functionName, schedule.Expression);
                return;
            }

            NextDue = next;
            statusUpdated = now;
            while (time.GetUtcNow() < next)
            {
                var wait = next - time.GetUtcNow();
                await Task.Delay(wait < MaximumWait ? wait : MaximumWait, time, cancellationToken);
            }

            var isPastDue = time.GetUtcNow() - next > PastDueTolerance;
            await InvokeAsync(isPastDue, last, next, statusUpdated, cancellationToken);
            last = next;
        }
    }

    private async Task InvokeAsync(bool isPastDue, DateTimeOffset? last, DateTimeOffset next, DateTimeOffset statusUpdated, CancellationToken cancellationToken)
    {
        var payload = TriggerPayloadWriter.TimerInvocation(
            functionName, trigger.Name, isPastDue, last, next, statusUpdated, time.GetUtcNow());
        if (!await invoker.InvokeAsync(functionName, payload, cancellationToken))
        {
            logger.LogWarning("Timer {FunctionName} occurrence {Occurrence} failed", functionName, next);
        }
    }
}
