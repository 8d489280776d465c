namespace Telephony.Sip.Sdp;

/// <summary>A line this model does not interpret (<c>i=</c>, <c>b=</c>, <c>t=</c>, <c>k=</c>, unknown types…), kept so it survives a round trip.</summary>
public sealed record SdpLine(char Type, string Value)
{
    public override string ToString() => Type + "=" + Value;
}
