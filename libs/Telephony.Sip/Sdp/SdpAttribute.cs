namespace Telephony.Sip.Sdp;

/// <summary>An <c>a=</c> line: a property attribute (<c>a=sendrecv</c>, <see cref="Value"/> null) or a value attribute (<c>a=rtpmap:0 PCMU/8000</c>).</summary>
public sealed record SdpAttribute(string Name, string? Value = null)
{
    public override string ToString() => Value is null ? Name : Name + ":" + Value;
}
