using System.Runtime.InteropServices;

namespace Telephony.Sip.Pacing;

/// <summary>Puts the calling thread under SCHED_FIFO on Linux, so a busy machine cannot delay the pacer's deadlines.</summary>
internal static partial class RealtimeScheduling
{
    private const int SchedFifo = 1;

    /// <returns>0 on success, else the errno (EPERM without CAP_SYS_NICE), or -1 when the platform has no such policy.</returns>
    public static int TryEnableForCurrentThread(int priority)
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        var parameters = new SchedParam { Priority = priority };
        return SchedSetScheduler(0, SchedFifo, in parameters) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int SchedSetScheduler(int threadId, int policy, in SchedParam parameters);

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }
}
