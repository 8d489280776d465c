namespace Telephony.Functions.Hosting;

/// <summary>A timer-triggered function, fired on its function.json NCRONTAB schedule.</summary>
internal interface ITimerFunction
{
    Task RunAsync(TimerTriggerInfo timer, CancellationToken cancellationToken);
}
