namespace Telephony.Sip.Pacing;

/// <summary>A stream the <see cref="RtpPacer"/> drives: called once per packet interval, on a pacer thread, to produce and send one packet.</summary>
public interface IPacedStream
{
    /// <summary>Sends this interval's packet. Must be quick and must not block; exceptions unregister the stream.</summary>
    void OnTick();
}
