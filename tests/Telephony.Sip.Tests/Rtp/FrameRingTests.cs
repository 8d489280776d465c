using Telephony.Sip.Rtp;

namespace Telephony.Sip.Tests.Rtp;

public sealed class FrameRingTests
{
    [Fact]
    public void A_full_ring_refuses_a_frame_and_keeps_what_it_holds_with_its_flags()
    {
        var ring = new FrameRing(capacityFrames: 2);
        Assert.True(ring.TryWrite(Enumerable.Repeat((short)1, 160).ToArray(), flag: true));
        Assert.True(ring.TryWrite(Enumerable.Repeat((short)2, 160).ToArray(), flag: false));
        Assert.False(ring.TryWrite(Enumerable.Repeat((short)3, 160).ToArray(), flag: true));
        Assert.Equal(2, ring.Count);

        var frame = new short[160];
        Assert.True(ring.TryRead(frame, out var first));
        Assert.Equal((1, true), (frame[0], first));
        Assert.True(ring.TryRead(frame, out var second));
        Assert.Equal((2, false), (frame[159], second));
        Assert.False(ring.TryRead(frame, out _));
    }

    [Fact]
    public async Task A_writer_and_a_reader_on_two_threads_hand_over_every_frame_whole_and_in_order()
    {
        const int Frames = 5000;
        var ring = new FrameRing(capacityFrames: 4);
        var writer = Task.Factory.StartNew(
            () =>
            {
                var frame = new short[160];
                var spin = default(SpinWait);
                for (var i = 0; i < Frames; i++)
                {
                    Array.Fill(frame, (short)i);
                    while (!ring.TryWrite(frame, flag: i % 2 == 0))
                    {
                        spin.SpinOnce();
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        var reader = Task.Factory.StartNew(
            () =>
            {
                var frame = new short[160];
                var spin = default(SpinWait);
                var problems = new List<string>();
                for (var i = 0; i < Frames; i++)
                {
                    bool flag;
                    while (!ring.TryRead(frame, out flag))
                    {
                        spin.SpinOnce();
                    }

                    if (frame.Any(s => s != i) || flag != (i % 2 == 0))
                    {
                        problems.Add($"frame {i}: first {frame[0]}, last {frame[159]}, flag {flag}");
                    }
                }

                return problems;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        await writer.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(await reader.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0, ring.Count);
    }
}
