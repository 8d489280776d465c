using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Messages;
using Telephony.Sip.Registration;

namespace Telephony.Sip.Tests.Registration;

public sealed class RegistrarTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Binds_multiple_contacts_lists_them_and_expires_them()
    {
        var registrar = new Registrar(_time);
        var ok = registrar.Handle(Register(1, "Expires: 120", "<sip:a@10.0.0.1>;q=0.5", "<sip:a@10.0.0.2>;expires=300"));
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(2, ok.Contacts.Count);
        var bindings = registrar.Lookup("sip:alice@example.com");
        Assert.Equal(["10.0.0.2", "10.0.0.1"], bindings.Select(b => b.Contact.Uri.Host));

        _time.Advance(TimeSpan.FromSeconds(121));
        Assert.Equal("10.0.0.2", Assert.Single(registrar.Lookup("sip:alice@example.com")).Contact.Uri.Host);
        _time.Advance(TimeSpan.FromSeconds(200));
        Assert.Empty(registrar.Lookup("sip:alice@example.com"));
    }

    [Fact]
    public void Too_brief_interval_gets_423_with_Min_Expires()
    {
        var registrar = new Registrar(_time, new RegistrarOptions { MinExpires = 60 });
        var response = registrar.Handle(Register(1, "Expires: 30", "<sip:a@10.0.0.1>"));
        Assert.Equal(423, response.StatusCode);
        Assert.Equal("60", response.Headers.Get(HeaderNames.MinExpires));
        Assert.Empty(registrar.Lookup("sip:alice@example.com"));
    }

    [Fact]
    public void Expires_zero_removes_one_and_wildcard_removes_all()
    {
        var registrar = new Registrar(_time);
        registrar.Handle(Register(1, "Expires: 600", "<sip:a@10.0.0.1>", "<sip:a@10.0.0.2>"));
        registrar.Handle(Register(2, "Expires: 0", "<sip:a@10.0.0.1>"));
        Assert.Single(registrar.Lookup("sip:alice@example.com"));
        Assert.Equal(400, registrar.Handle(Register(3, "Expires: 10", "*")).StatusCode);
        Assert.Equal(200, registrar.Handle(Register(4, "Expires: 0", "*")).StatusCode);
        Assert.Empty(registrar.Lookup("sip:alice@example.com"));
    }

    [Fact]
    public void Replayed_cseq_in_the_same_call_id_is_refused_with_500()
    {
        var registrar = new Registrar(_time);
        Assert.Equal(200, registrar.Handle(Register(5, "Expires: 600", "<sip:a@10.0.0.1>")).StatusCode);
        Assert.Equal(500, registrar.Handle(Register(5, "Expires: 600", "<sip:a@10.0.0.1>")).StatusCode);
    }

    private static SipRequest Register(long cseq, string expiresHeader, params string[] contacts)
    {
        var request = new SipRequest(SipMethods.Register, SipUri.Parse("sip:example.com"));
        request.Headers.Add(HeaderNames.Via, "SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKreg" + cseq);
        request.Headers.Add(HeaderNames.From, "<sip:alice@example.com>;tag=r1");
        request.Headers.Add(HeaderNames.To, "<sip:alice@example.com>");
        request.Headers.Add(HeaderNames.CallId, "reg-call");
        request.Headers.Add(HeaderNames.CSeq, $"{cseq} REGISTER");
        var colon = expiresHeader.IndexOf(':', StringComparison.Ordinal);
        request.Headers.Add(expiresHeader[..colon], expiresHeader[(colon + 1)..].Trim());
        foreach (var contact in contacts)
        {
            request.Headers.Add(HeaderNames.Contact, contact);
        }

        return request;
    }
}
