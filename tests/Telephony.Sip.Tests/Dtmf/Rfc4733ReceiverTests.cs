using Telephony.Sip.Dtmf;

namespace Telephony.Sip.Tests.Dtmf;

public class Rfc4733ReceiverTests
{
    private static byte[] Payload(int eventCode, bool end, int duration)
    {
        var bytes = new byte[4];
        new TelephoneEventPayload((byte)eventCode, end, 10, (ushort)duration).Write(bytes);
        return bytes;
    }

    private static string Feed(Rfc4733Receiver receiver, params (uint Timestamp, int Event, bool End, int Duration)[] packets) =>
        string.Concat(packets.SelectMany(p => receiver.Process(p.Timestamp, Payload(p.Event, p.End, p.Duration))).Select(d => d.Digit));

    [Fact]
    public void Reports_a_digit_once_on_its_first_end_packet()
    {
        var receiver = new Rfc4733Receiver();

        var beforeEnd = Feed(receiver, (100, 3, false, 160), (100, 3, false, 320), (100, 3, false, 480));
        var atEnd = receiver.Process(100, Payload(3, true, 800));
        var retransmissions = Feed(receiver, (100, 3, true, 800), (100, 3, true, 800));

        Assert.Equal(string.Empty, beforeEnd);
        Assert.Equal(new DtmfDigit('3', DtmfSource.Rfc4733, 100), Assert.Single(atEnd));
        Assert.Equal(string.Empty, retransmissions);
    }

    [Fact]
    public void Accepts_sipps_duration_steps_and_repeated_sequence_numbers()
    {
        // As in /usr/share/sip-tester/dtmf_2833_1.pcap: durations 0, 320, 640... and three identical end packets.
        var receiver = new Rfc4733Receiver();
        var packets = Enumerable.Range(0, 7).Select(i => (13280u, 1, false, i * 320))
            .Concat(Enumerable.Repeat((13280u, 1, true, 2240), 3)).ToArray();

        Assert.Equal("1", Feed(receiver, packets));
    }

    [Fact]
    public void The_same_digit_twice_is_two_events_because_the_timestamps_differ()
    {
        var receiver = new Rfc4733Receiver();

        var digits = Feed(receiver, (0, 7, false, 160), (0, 7, true, 800), (0, 7, true, 800), (1600, 7, false, 160), (1600, 7, true, 800));

        Assert.Equal("77", digits);
    }

    [Fact]
    public void An_event_whose_end_packets_were_lost_is_reported_when_the_next_one_starts_or_on_flush()
    {
        var receiver = new Rfc4733Receiver();

        var first = Feed(receiver, (0, 1, false, 160), (0, 1, false, 320), (1600, 2, false, 160));
        var flushed = receiver.Flush();

        Assert.Equal("1", first);
        Assert.Equal('2', flushed!.Value.Digit);
        Assert.Null(receiver.Flush());
    }

    [Fact]
    public void Detect_on_start_reports_on_the_first_packet_and_not_again_at_the_end()
    {
        var receiver = new Rfc4733Receiver(detectOnStart: true);

        var atStart = Feed(receiver, (500, 11, false, 160));
        var later = Feed(receiver, (500, 11, false, 320), (500, 11, true, 800), (500, 11, true, 800));

        Assert.Equal("#", atStart);
        Assert.Equal(string.Empty, later);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0x80, 0 })]
    [InlineData(new byte[] { 16, 0x80, 0, 160 })]
    [InlineData(new byte[] { 200, 0x80, 0, 160 })]
    public void Short_payloads_and_events_that_are_not_digits_are_ignored(byte[] payload)
    {
        Assert.Empty(new Rfc4733Receiver().Process(0, payload));
    }

    [Theory]
    [InlineData('0', 0)]
    [InlineData('9', 9)]
    [InlineData('*', 10)]
    [InlineData('#', 11)]
    [InlineData('A', 12)]
    [InlineData('d', 15)]
    [InlineData('x', -1)]
    public void Maps_digits_to_event_codes(char digit, int eventCode)
    {
        Assert.Equal(eventCode, DtmfEvents.ToEvent(digit));
    }
}
