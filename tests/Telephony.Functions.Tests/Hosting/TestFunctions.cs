using System.Threading.Channels;
using Telephony.Functions.Hosting;

namespace Telephony.Functions.Tests.Hosting;

/// <summary>Collects what test functions received, so tests can wait for an invocation instead of sleeping.</summary>
internal sealed class InvocationRecorder
{
    private readonly Channel<object> _received = Channel.CreateUnbounded<object>();

    public void Record(object invocation) => _received.Writer.TryWrite(invocation);

    /// <summary>Waits for the next recorded invocation of type <typeparamref name="T"/>, failing after <paramref name="timeout"/>.</summary>
    public async Task<T> NextAsync<T>(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                if (await _received.Reader.ReadAsync(deadline.Token) is T match)
                {
                    return match;
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {typeof(T).Name} invocation within {timeout}");
            }
        }
    }
}

internal sealed class RecordingQueueFunction(InvocationRecorder recorder) : IQueueFunction
{
    public Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        recorder.Record(message);
        return Task.CompletedTask;
    }
}

internal sealed class FailingQueueFunction(InvocationRecorder recorder) : IQueueFunction
{
    public Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        recorder.Record(message);
        throw new InvalidOperationException("this function always fails");
    }
}

internal sealed class RecordingTimerFunction(InvocationRecorder recorder) : ITimerFunction
{
    public Task RunAsync(TimerTriggerInfo timer, CancellationToken cancellationToken)
    {
        recorder.Record(timer);
        return Task.CompletedTask;
    }
}

/// <summary>Records the message, then runs until the invocation is cancelled (the host shutting down).</summary>
internal sealed class HangingQueueFunction(InvocationRecorder recorder) : IQueueFunction
{
    public async Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        recorder.Record(message);
        await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
    }
}

/// <summary>Holds messages whose body is "slow" until the test opens the gate; others complete at once.</summary>
internal sealed class GatedQueueFunction(InvocationRecorder recorder, TaskCompletionSource gate) : IQueueFunction
{
    public async Task RunAsync(QueueTriggerMessage message, CancellationToken cancellationToken)
    {
        recorder.Record(message);
        if (message.Body == "slow")
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
    }
}
