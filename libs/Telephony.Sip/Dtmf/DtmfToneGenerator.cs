namespace Telephony.Sip.Dtmf;

/// <summary>Writes DTMF dual tones (ITU-T Q.23 frequencies) into 8 kHz PCM16, for peers that do not accept telephone-event.</summary>
public static class DtmfToneGenerator
{
    /// <summary>Per-tone amplitude, about -7 dBm0 each: well inside the detector's level window.</summary>
    private const double Amplitude = 7000;

    public static (double Low, double High) Frequencies(char digit)
    {
        var eventCode = DtmfEvents.ToEvent(digit);
        if (eventCode < 0)
        {
            throw new ArgumentException($"'{digit}' is not a DTMF digit", nameof(digit));
        }

        var (row, column) = eventCode switch
        {
            0 => (3, 1),
            10 => (3, 0),
            11 => (3, 2),
            >= 12 => (eventCode - 12, 3),
            _ => ((eventCode - 1) / 3, (eventCode - 1) % 3),
        };
        return (GoertzelDtmfDetector.RowFrequencies[row], GoertzelDtmfDetector.ColumnFrequencies[column]);
    }

    /// <summary>Fills <paramref name="destination"/> with the digit's tone, continuing a tone that started <paramref name="sampleOffset"/> samples ago.</summary>
    public static void Write(char digit, Span<short> destination, int sampleOffset, double lowGain = 1, double highGain = 1)
    {
        var (low, high) = Frequencies(digit);
        for (var i = 0; i < destination.Length; i++)
        {
            var t = (sampleOffset + i) / 8000.0;
            var value = Amplitude * ((lowGain * Math.Sin(2 * Math.PI * low * t)) + (highGain * Math.Sin(2 * Math.PI * high * t)));
            destination[i] = (short)Math.Clamp(value, short.MinValue, short.MaxValue);
        }
    }
}
