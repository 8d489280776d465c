namespace Telephony.Sip.Dtmf;

/// <summary>
/// Turns received telephone-event packets into digits, once each. An event is identified by its RTP timestamp and event code;
/// it is reported on its first end packet (or on its first packet when <c>detectOnStart</c>), and when its end packets were all
/// lost, as soon as a different event starts. Duration steps are not checked, so senders with odd steps (sipp) work.
/// </summary>
public sealed class Rfc4733Receiver
{
    private const int RememberedEvents = 8;
    private readonly bool _detectOnStart;
    private readonly Queue<(uint Timestamp, byte Event)> _reported = new();
    private (uint Timestamp, byte Event, ushort Duration)? _pending;

    public Rfc4733Receiver(bool detectOnStart = false) => _detectOnStart = detectOnStart;

    /// <summary>Feeds one telephone-event payload; returns the digits it completes (usually none or one).</summary>
    public IReadOnlyList<DtmfDigit> Process(uint timestamp, ReadOnlySpan<byte> payload)
    {
        if (!TelephoneEventPayload.TryParse(payload, out var value) || DtmfEvents.ToDigit(value.Event) is null)
        {
            return [];
        }

        var key = (timestamp, value.Event);
        if (_reported.Contains(key))
        {
            return [];
        }

        List<DtmfDigit>? digits = null;
        if (_pending is { } pending && (pending.Timestamp, pending.Event) != key)
        {
            // A new event started while the previous one never ended for us: its end packets were lost.
            (digits ??= []).Add(Report(pending.Timestamp, pending.Event, pending.Duration));
            _pending = null;
        }

        if (value.End || _detectOnStart)
        {
            (digits ??= []).Add(Report(timestamp, value.Event, value.Duration));
            _pending = null;
        }
        else
        {
            _pending = (timestamp, value.Event, value.Duration);
        }

        return (IReadOnlyList<DtmfDigit>?)digits ?? [];
    }

    /// <summary>Reports an event still waiting for its end packet (call when the stream stops or after a timeout).</summary>
    public DtmfDigit? Flush()
    {
        if (_pending is not { } pending)
        {
            return null;
        }

        _pending = null;
        return Report(pending.Timestamp, pending.Event, pending.Duration);
    }

    private DtmfDigit Report(uint timestamp, byte eventCode, ushort duration)
    {
        _reported.Enqueue((timestamp, eventCode));
        if (_reported.Count > RememberedEvents)
        {
            _reported.Dequeue();
        }

        return new DtmfDigit(DtmfEvents.ToDigit(eventCode)!.Value, DtmfSource.Rfc4733, duration / 8);
    }
}
