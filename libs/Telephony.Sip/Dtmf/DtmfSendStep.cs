namespace Telephony.Sip.Dtmf;

/// <summary>
/// What one 20 ms tick carries while digits are being sent. When <see cref="IsEvent"/> is false the tick carries ordinary audio.
/// Otherwise it carries the telephone-event <see cref="Payload"/> (RFC 4733) with <see cref="EventTimestamp"/>, or — for peers
/// without telephone-event — the tone of <see cref="Digit"/> starting at sample <see cref="ToneSampleOffset"/>.
/// </summary>
public readonly record struct DtmfSendStep(bool IsEvent, char Digit, bool Marker, uint EventTimestamp, TelephoneEventPayload Payload, int ToneSampleOffset)
{
    public static DtmfSendStep Audio => default;
}
