using Telephony.Sip.Rtp;

namespace Telephony.MediaNode.Calls;

/// <summary>
/// The audio a call sends: one prompt at a time, read 20 ms per pacer tick, with a task that completes
/// when the prompt has been sent to the end (or was stopped). Silence in between. No lock: the pacer's tick
/// must not wait for a call thread preempted halfway through starting or stopping a prompt (a looping
/// <c>&lt;Play&gt;</c> starts one every few seconds on every call), so a prompt is swapped in whole and only the
/// pacer moves its read position.
/// </summary>
public sealed class PromptSource : IAudioSource
{
    private volatile Prompt _current = Prompt.Empty;

    /// <summary>Starts <paramref name="samples"/> (replacing whatever played) and returns when it has all been sent.</summary>
    public Task Start(short[] samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var prompt = samples.Length == 0 ? Prompt.Empty : new Prompt(samples);
        Interlocked.Exchange(ref _current, prompt).Finish();
        return prompt.Done;
    }

    /// <summary>Stops the current prompt (barge-in, hang-up, a new program).</summary>
    public void Stop() => Interlocked.Exchange(ref _current, Prompt.Empty).Finish();

    /// <summary>On the pacer thread: the next 20 ms of the current prompt (a frame of a prompt just replaced may still go out).</summary>
    public bool ReadFrame(Span<short> frame) => _current.Read(frame);

    /// <summary>One prompt: its samples, how far the pacer has read them (only the pacer moves it), and its completion.</summary>
    private sealed class Prompt
    {
        // Shared by every source: it never changes (nothing to read, done from the start).
        public static readonly Prompt Empty = new([]);
        private readonly short[] _samples;
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;

        public Prompt(short[] samples)
        {
            _samples = samples;
            if (samples.Length == 0)
            {
                _done.SetResult();
            }
        }

        public Task Done => _done.Task;

        public void Finish() => _done.TrySetResult();

        public bool Read(Span<short> frame)
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
                Finish();
            }

            return true;
        }
    }
}
