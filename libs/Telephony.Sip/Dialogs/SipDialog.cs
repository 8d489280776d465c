using Telephony.Sip.Messages;

namespace Telephony.Sip.Dialogs;

/// <summary>
/// Dialog state (RFC 3261 §12): ids, CSeq counters, route set and remote target. Builds in-dialog requests
/// and checks incoming CSeq ordering. Thread safety is the owner's (the call's) lock.
/// </summary>
public sealed class SipDialog
{
    private SipDialog(DialogId id, NameAddress local, NameAddress remote, SipUri remoteTarget, IReadOnlyList<NameAddress> routeSet, long localSequence, long? remoteSequence)
    {
        Id = id;
        LocalParty = local;
        RemoteParty = remote;
        RemoteTarget = remoteTarget;
        RouteSet = routeSet;
        LocalSequence = localSequence;
        RemoteSequence = remoteSequence;
    }

    public DialogId Id { get; private set; }

    public NameAddress LocalParty { get; }

    public NameAddress RemoteParty { get; private set; }

    public SipUri RemoteTarget { get; private set; }

    public IReadOnlyList<NameAddress> RouteSet { get; private set; }

    public long LocalSequence { get; private set; }

    public long? RemoteSequence { get; private set; }

    public bool IsConfirmed { get; private set; }

    /// <summary>UAC side, from a 1xx/2xx with a To tag: route set is the response's Record-Route reversed.</summary>
    public static SipDialog FromUacResponse(SipRequest invite, SipResponse response)
    {
        var to = response.To ?? throw new ArgumentException("response has no To", nameof(response));
        var from = invite.From!;
        var target = FirstUri(response.Contacts) ?? invite.Uri;
        var routes = response.RecordRoutes.Reverse().ToList();
        return new SipDialog(new DialogId(invite.CallId!, from.Tag!, to.Tag ?? string.Empty), from, to, target, routes, invite.CSeq!.Value.Number, null)
        {
            IsConfirmed = response.IsSuccess,
        };
    }

    /// <summary>UAS side, from the INVITE we answer: route set is Record-Route in order, target is the Contact.</summary>
    public static SipDialog FromUasRequest(SipRequest invite, string localTag)
    {
        var local = invite.To!.Clone();
        local.Tag = localTag;
        var remote = invite.From!;
        var target = FirstUri(invite.Contacts) ?? remote.Uri;
        return new SipDialog(new DialogId(invite.CallId!, localTag, remote.Tag ?? string.Empty), local, remote, target, invite.RecordRoutes, 0, invite.CSeq!.Value.Number);
    }

    /// <summary>A 2xx confirms an early dialog; its Contact and Record-Route become authoritative (§12.1.2).</summary>
    public void Confirm(SipResponse response)
    {
        if (FirstUri(response.Contacts) is { } contact)
        {
            RemoteTarget = contact;
        }

        RouteSet = response.RecordRoutes.Reverse().ToList();
        if (response.To?.Tag is { } tag && tag != Id.RemoteTag)
        {
            Id = Id with { RemoteTag = tag };
            RemoteParty = response.To;
        }

        IsConfirmed = true;
    }

    public void ConfirmUas() => IsConfirmed = true;

    /// <summary>A target refresh (re-INVITE, UPDATE) replaces the remote target with the new Contact.</summary>
    public void RefreshTarget(SipMessage message)
    {
        if (FirstUri(message.Contacts) is { } contact)
        {
            RemoteTarget = contact;
        }
    }

    /// <summary>§12.2.2: CSeq lower than the last one is out of order (500). Returns the status to reject with, or null.</summary>
    public int? AcceptRemoteSequence(SipRequest request)
    {
        var number = request.CSeq!.Value.Number;
        if (request.Method is SipMethods.Ack or SipMethods.Cancel)
        {
            return null;
        }

        if (RemoteSequence is long last && number <= last)
        {
            return 500;
        }

        RemoteSequence = number;
        return null;
    }

    /// <summary>§12.2.1.1: Request-URI is the remote target, Route is the route set (loose routing).</summary>
    public SipRequest CreateRequest(string method, NameAddress? localContact, long? sequence = null)
    {
        if (sequence is null)
        {
            LocalSequence++;
        }

        var request = new SipRequest(method, RemoteTarget);
        foreach (var route in RouteSet)
        {
            request.Headers.Add(HeaderNames.Route, route.ToString());
        }

        request.Headers.Add(HeaderNames.MaxForwards, "70");
        request.Headers.Add(HeaderNames.From, LocalParty.ToString());
        request.Headers.Add(HeaderNames.To, RemoteParty.ToString());
        request.Headers.Add(HeaderNames.CallId, Id.CallId);
        request.Headers.Add(HeaderNames.CSeq, new CSeqHeader(sequence ?? LocalSequence, method).ToString());
        if (localContact is not null && method is SipMethods.Invite or SipMethods.Update)
        {
            request.Headers.Add(HeaderNames.Contact, localContact.ToString());
        }

        return request;
    }

    private static SipUri? FirstUri(IReadOnlyList<NameAddress> contacts) => contacts.Count > 0 ? contacts[0].Uri : null;

    /// <summary>Where in-dialog requests go first: the top route, else the remote target.</summary>
    public SipUri NextHop => RouteSet.Count > 0 ? RouteSet[0].Uri : RemoteTarget;
}
