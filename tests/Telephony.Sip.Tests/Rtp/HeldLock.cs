namespace Telephony.Sip.Tests.Rtp;

/// <summary>
/// Holds a lock on a thread of its own until disposed: stands for a receive thread preempted while holding it. A thread of its
/// own, because a lock must be let go on the thread that took it and a test's awaits may resume elsewhere.
/// </summary>
internal sealed class HeldLock : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly ManualResetEventSlim _held = new();
    private readonly ManualResetEventSlim _release = new();
    private readonly Thread _holder;

    public HeldLock(Lock gate)
    {
        _holder = new Thread(() =>
        {
            gate.Enter();
            _held.Set();
            _release.Wait();
            gate.Exit();
        })
        { IsBackground = true, Name = "held-lock" };
        _holder.Start();
        if (!_held.Wait(Timeout))
        {
            throw new TimeoutException("the lock could not be taken");
        }
    }

    public void Dispose()
    {
        _release.Set();
        _holder.Join();
        _held.Dispose();
        _release.Dispose();
    }
}
