using Telephony.MediaNode.Calls;

namespace Telephony.MediaNode.Tests;

public sealed class PromptSourceTests
{
    private static short[] Samples(int count, short value) => Enumerable.Repeat(value, count).ToArray();

    [Fact]
    public void A_prompt_is_read_20_ms_at_a_time_and_is_done_only_once_its_last_sample_went_out()
    {
        var source = new PromptSource();
        var done = source.Start(Samples(400, 3));
        var frame = new short[160];

        Assert.True(source.ReadFrame(frame));
        Assert.True(source.ReadFrame(frame));
        Assert.False(done.IsCompleted);
        frame.AsSpan().Clear();
        Assert.True(source.ReadFrame(frame));
        Assert.True(done.IsCompletedSuccessfully);
        Assert.All(frame[..80], s => Assert.Equal(3, s));
        Assert.All(frame[80..], s => Assert.Equal(0, s));
        Assert.False(source.ReadFrame(frame));
    }

    [Fact]
    public void A_new_prompt_replaces_the_one_playing_which_counts_as_done_and_plays_from_its_start()
    {
        var source = new PromptSource();
        var first = source.Start(Samples(1600, 1));
        var frame = new short[160];
        source.ReadFrame(frame);

        var second = source.Start(Samples(320, 2));

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(source.ReadFrame(frame));
        Assert.All(frame, s => Assert.Equal(2, s));
        Assert.False(second.IsCompleted);
    }

    [Fact]
    public void Stop_ends_the_prompt_and_leaves_silence()
    {
        var source = new PromptSource();
        var done = source.Start(Samples(1600, 1));

        source.Stop();

        Assert.True(done.IsCompletedSuccessfully);
        Assert.False(source.ReadFrame(new short[160]));
        Assert.True(source.Start([]).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Prompts_swapped_while_the_pacer_reads_give_whole_frames_of_one_prompt_and_every_prompt_completes()
    {
        const int Prompts = 2000;
        var source = new PromptSource();
        using var stop = new CancellationTokenSource();
        var reader = Task.Factory.StartNew(
            () =>
            {
                var frame = new short[160];
                var mixed = 0;
                while (!stop.IsCancellationRequested)
                {
                    frame.AsSpan().Clear();
                    if (source.ReadFrame(frame) && frame.Any(s => s != frame[0]))
                    {
                        mixed++;
                    }
                }

                return mixed;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        var started = new List<Task>();
        for (var i = 1; i <= Prompts; i++)
        {
            started.Add(source.Start(Samples(1600, (short)i)));
        }

        source.Stop();
        await Task.WhenAll(started).WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        Assert.Equal(0, await reader.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
