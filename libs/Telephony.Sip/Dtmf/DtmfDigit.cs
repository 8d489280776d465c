namespace Telephony.Sip.Dtmf;

/// <summary>How a digit reached us.</summary>
public enum DtmfSource
{
    /// <summary>RFC 4733 telephone-event packets.</summary>
    Rfc4733,

    /// <summary>Tones in the audio, found by the Goertzel detector.</summary>
    InBand,
}

/// <summary>A received DTMF digit: <c>0-9 * # A-D</c>.</summary>
public readonly record struct DtmfDigit(char Digit, DtmfSource Source, int DurationMs = 0);
