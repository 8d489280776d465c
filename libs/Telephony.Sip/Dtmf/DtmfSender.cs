using System.Collections.Concurrent;

namespace Telephony.Sip.Dtmf;

/// <summary>
/// Schedules outgoing digits on the 20 ms packet clock (RFC 4733 section 2.5.1): a first packet with the marker bit, updates with
/// the cumulative duration, then the end packet three times, all carrying the event's starting timestamp; a gap of audio follows.
/// <c>w</c> pauses 0.5 s and <c>W</c> 1 s, as in Twilio's <c>sendDigits</c>. Enqueue from any thread; <see cref="Next"/> runs on the pacer.
/// </summary>
public sealed class DtmfSender
{
    public const int TickMs = 20;
    private const int SamplesPerTick = 160;
    private const int EndRepetitions = 3;

    private readonly ConcurrentQueue<char> _queue = new();
    private readonly int _durationTicks;
    private readonly int _gapTicks;
    private readonly byte _volume;
    private char _digit;
    private int _tick;
    private int _remainingTicks;
    private uint _eventTimestamp;

    /// <param name="durationMs">Tone length of each digit, 40 to 5000 ms.</param>
    /// <param name="gapMs">Silence after each digit, at least 40 ms.</param>
    /// <param name="volume">Power level in -dBm0 (0-63); 10 is typical.</param>
    public DtmfSender(int durationMs = 100, int gapMs = 60, byte volume = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(durationMs, 40);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(durationMs, 5000);
        ArgumentOutOfRangeException.ThrowIfLessThan(gapMs, 40);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(volume, (byte)63);
        _durationTicks = Math.Max(1, durationMs / TickMs);
        _gapTicks = Math.Max(1, gapMs / TickMs);
        _volume = volume;
    }

    public bool IsIdle => _remainingTicks == 0 && _queue.IsEmpty;

    /// <summary>True for the characters <see cref="Enqueue"/> accepts: <c>0-9 * # A-D w W</c>.</summary>
    public static bool IsSendable(char c) => DtmfEvents.IsDigit(c) || c is 'w' or 'W';

    /// <summary>Queues digits; throws <see cref="ArgumentException"/> naming the first character that is not sendable.</summary>
    public void Enqueue(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        foreach (var c in digits)
        {
            if (!IsSendable(c))
            {
                throw new ArgumentException($"'{c}' is not a DTMF digit (0-9, *, #, A-D, w, W)", nameof(digits));
            }
        }

        foreach (var c in digits)
        {
            _queue.Enqueue(c);
        }
    }

    /// <summary>Advances one tick. <paramref name="tickTimestamp"/> is the RTP timestamp an audio packet would carry on this tick.</summary>
    public DtmfSendStep Next(uint tickTimestamp)
    {
        if (_remainingTicks == 0)
        {
            if (!_queue.TryDequeue(out var next))
            {
                return DtmfSendStep.Audio;
            }

            _digit = next;
            _tick = 0;
            _eventTimestamp = tickTimestamp;
            _remainingTicks = next switch
            {
                'w' => 500 / TickMs,
                'W' => 1000 / TickMs,
                _ => _durationTicks + EndRepetitions - 1 + _gapTicks,
            };
        }

        var tick = _tick++;
        _remainingTicks--;
        if (_digit is 'w' or 'W' || tick >= _durationTicks + EndRepetitions - 1)
        {
            return DtmfSendStep.Audio;
        }

        var end = tick >= _durationTicks - 1;
        var duration = (ushort)(Math.Min(tick + 1, _durationTicks) * SamplesPerTick);
        var payload = new TelephoneEventPayload((byte)DtmfEvents.ToEvent(_digit), end, _volume, duration);
        var toneOffset = tick < _durationTicks ? tick * SamplesPerTick : -1;
        return new DtmfSendStep(true, _digit, tick == 0, _eventTimestamp, payload, toneOffset);
    }
}
