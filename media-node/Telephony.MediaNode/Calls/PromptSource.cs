using Telephony.Sip.Rtp;

namespace Telephony.MediaNode.Calls;

/// <summary>
/// The audio a call sends: one prompt at a time, read 20 ms per pacer tick, with a task that completes
/// when the prompt has been sent to the end (or was stopped). Silence in between.
/// </summary>
public sealed class PromptSource : IAudioSource
{
    private readonly Lock _gate = new();
    private short[] _samples = [];
    private int _position;
    private TaskCompletionSource _done = Completed();

    /// <summary>Starts <paramref name="samples"/> (replacing whatever played) and returns when it has all been sent.</summary>
    public Task Start(short[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        lock (_gate)
        {
            _done.TrySetResult();
            _samples = samples;
            _position = 0;
            _done = samples.Length == 0 ? Completed() : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _done.Task;
        }
    }

    /// <summary>Stops the current prompt (barge-in, hang-up, a new program).</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _samples = [];
            _position = 0;
            _done.TrySetResult();
        }
    }

    public bool ReadFrame(Span<short> frame)
    {
        lock (_gate)
        {
            var take = Math.Min(frame.Length, _samples.Length - _position);
            if (take <= 0)
            {
                return false;
            }

            _samples.AsSpan(_position, take).CopyTo(frame);
            _position += take;
            if (_position >= _samples.Length)
            {
                _done.TrySetResult();
            }

            return true;
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
