namespace Telephony.Sip.Pacing;

/// <summary>A stream's place on a pacer loop; disposing it stops the ticks (from the next interval on).</summary>
public sealed class PacerRegistration : IDisposable
{
    private volatile bool _removed;

    internal PacerRegistration(IPacedStream stream) => Stream = stream;

    internal IPacedStream Stream { get; }

    internal bool IsRemoved => _removed;

    public void Dispose() => _removed = true;
}
