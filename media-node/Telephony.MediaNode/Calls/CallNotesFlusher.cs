namespace Telephony.MediaNode.Calls;

/// <summary>
/// Writes the events noted for calls (<see cref="CallStatusWriter.Note"/>) that no write of their call took along
/// within <see cref="CallStatusWriter.NoteDelay"/>: one loop for the node, never a timer per call. When the node
/// stops, every note still pending is written.
/// </summary>
public sealed class CallNotesFlusher(CallStatusWriter status, TimeProvider time, ILogger<CallNotesFlusher> logger) : BackgroundService
{
    /// <summary>How often the loop looks: a note is stored at most this much after its <see cref="CallStatusWriter.NoteDelay"/>.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await status.FlushDueAsync(all: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await status.FlushDueAsync(all: true, cancellationToken);
        if (status.CallsWithNotes > 0)
        {
            logger.LogWarning("Node stopping with events of {Count} calls not written", status.CallsWithNotes);
        }
    }
}
