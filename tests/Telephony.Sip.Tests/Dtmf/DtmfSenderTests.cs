using Telephony.Sip.Dtmf;

namespace Telephony.Sip.Tests.Dtmf;

public class DtmfSenderTests
{
    private static List<DtmfSendStep> Run(DtmfSender sender, int ticks, uint firstTimestamp = 1000) =>
        [.. Enumerable.Range(0, ticks).Select(i => sender.Next(firstTimestamp + (uint)(i * 160)))];

    [Fact]
    public void Sends_start_with_marker_cumulative_updates_and_the_end_three_times_on_one_timestamp()
    {
        var sender = new DtmfSender(durationMs: 100, gapMs: 60);
        sender.Enqueue("5");

        var steps = Run(sender, 11);

        var events = steps.Take(7).ToList();
        Assert.All(events, s => Assert.True(s.IsEvent));
        Assert.All(events, s => Assert.Equal(1000u, s.EventTimestamp));
        Assert.All(events, s => Assert.Equal(5, s.Payload.Event));
        Assert.All(events, s => Assert.Equal(10, s.Payload.Volume));
        Assert.Equal([true, false, false, false, false, false, false], events.Select(s => s.Marker));
        Assert.Equal([160, 320, 480, 640, 800, 800, 800], events.Select(s => (int)s.Payload.Duration));
        Assert.Equal([false, false, false, false, true, true, true], events.Select(s => s.Payload.End));
        Assert.All(steps.Skip(7), s => Assert.False(s.IsEvent)); // the 60 ms gap and then idle audio
        Assert.True(sender.IsIdle);
    }

    [Fact]
    public void Each_digit_gets_the_timestamp_of_the_tick_it_starts_on()
    {
        var sender = new DtmfSender(durationMs: 40, gapMs: 40);
        sender.Enqueue("1*");

        var steps = Run(sender, 12);

        var starts = steps.Where(s => s.IsEvent && s.Marker).ToList();
        Assert.Equal(2, starts.Count);
        Assert.Equal(1000u, starts[0].EventTimestamp);
        Assert.Equal(10, starts[1].Payload.Event);
        // 40 ms tone = 2 ticks, end repeated to 4 ticks in all, then 2 gap ticks: the second digit starts on tick 6.
        Assert.Equal(1000u + (6 * 160), starts[1].EventTimestamp);
    }

    [Fact]
    public void A_pause_character_sends_audio_for_half_a_second()
    {
        var sender = new DtmfSender(durationMs: 40, gapMs: 40);
        sender.Enqueue("w2");

        var steps = Run(sender, 30);

        Assert.All(steps.Take(25), s => Assert.False(s.IsEvent));
        Assert.True(steps[25].IsEvent && steps[25].Marker);
        Assert.Equal(2, steps[25].Payload.Event);
    }

    [Fact]
    public void Tone_offsets_cover_exactly_the_digit_duration()
    {
        var sender = new DtmfSender(durationMs: 100, gapMs: 60);
        sender.Enqueue("7");

        var offsets = Run(sender, 7).Select(s => s.ToneSampleOffset).ToList();

        Assert.Equal([0, 160, 320, 480, 640, -1, -1], offsets);
    }

    [Theory]
    [InlineData(20, 60)]
    [InlineData(6000, 60)]
    [InlineData(100, 10)]
    public void Rejects_durations_outside_the_usable_range(int durationMs, int gapMs)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DtmfSender(durationMs, gapMs));
    }

    [Fact]
    public void Payload_round_trips_through_its_wire_form()
    {
        var payload = new TelephoneEventPayload(11, End: true, Volume: 10, Duration: 1600);
        var bytes = new byte[4];

        payload.Write(bytes);

        Assert.Equal(new byte[] { 11, 0x8A, 0x06, 0x40 }, bytes);
        Assert.True(TelephoneEventPayload.TryParse(bytes, out var parsed));
        Assert.Equal(payload, parsed);
        Assert.False(TelephoneEventPayload.TryParse(bytes.AsSpan(0, 3), out _));
    }
}
