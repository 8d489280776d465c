namespace Telephony.Sip.Dialogs;

/// <summary>RFC 3261 §12: Call-ID plus local and remote tags, as seen from our side.</summary>
public readonly record struct DialogId(string CallId, string LocalTag, string RemoteTag)
{
    public override string ToString() => $"{CallId};{LocalTag};{RemoteTag}";
}
