using System.Net;
using Microsoft.Extensions.Time.Testing;
using Telephony.Sip.Auth;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Registration;
using Telephony.Sip.Transactions;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Tests.Registration;

/// <summary>Our REGISTER client against our registrar over real loopback UDP; the client's timers on fake time.</summary>
public sealed class RegistrationClientTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Registers_through_423_and_digest_then_refreshes_and_unregisters()
    {
        var registrarTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var registrar = new Registrar(registrarTime, new RegistrarOptions
        {
            MinExpires = 60,
            Authenticator = new DigestServer("example.com", registrarTime, "SHA-256"),
            Passwords = user => user == "alice" ? "secret" : null,
        });
        await using var server = new SipUserAgent(new SipUserAgentOptions
        {
            Listen = [new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0))],
            Media = null,
            Registrar = registrar,
        });

        var clientTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var stack = new SipStack(new SipStackOptions { Time = clientTime });
        var transport = stack.Listen(new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0)));
        stack.Start(new NoRequests());
        using var client = new RegistrationClient(stack, server.LocalEndPoint(), new RegistrationOptions
        {
            Registrar = SipUri.Parse("sip:example.com"),
            AddressOfRecord = SipUri.Parse("sip:alice@example.com"),
            Contact = new NameAddress(SipUri.Parse($"sip:alice@127.0.0.1:{transport.LocalEndPoint.Port}")),
            Expires = 30,
            Credentials = new DigestCredentials("alice", "secret"),
        });

        var response = await client.RegisterAsync().WaitAsync(Wait);
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(60, client.GrantedExpires);
        Assert.Single(registrar.Lookup("sip:alice@example.com"));

        var refreshed = new TaskCompletionSource<SipResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Registered += (_, r) => refreshed.TrySetResult(r);
        clientTime.Advance(TimeSpan.FromSeconds(31));
        var refresh = await refreshed.Task.WaitAsync(Wait);
        Assert.True(refresh.CSeq!.Value.Number > response.CSeq!.Value.Number);

        Assert.Equal(200, (await client.UnregisterAsync().WaitAsync(Wait)).StatusCode);
        Assert.False(client.IsRegistered);
        Assert.Empty(registrar.Lookup("sip:alice@example.com"));
    }

    [Fact]
    public async Task Wrong_password_fails_after_one_retry()
    {
        var registrar = new Registrar(TimeProvider.System, new RegistrarOptions
        {
            Authenticator = new DigestServer("example.com", TimeProvider.System),
            Passwords = _ => "right",
        });
        await using var server = new SipUserAgent(new SipUserAgentOptions { Media = null, Registrar = registrar });
        await using var stack = new SipStack();
        var transport = stack.Listen(new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0)));
        stack.Start(new NoRequests());
        using var client = new RegistrationClient(stack, server.LocalEndPoint(), new RegistrationOptions
        {
            Registrar = SipUri.Parse("sip:example.com"),
            AddressOfRecord = SipUri.Parse("sip:alice@example.com"),
            Contact = new NameAddress(SipUri.Parse($"sip:alice@127.0.0.1:{transport.LocalEndPoint.Port}")),
            Credentials = new DigestCredentials("alice", "wrong"),
        });
        Assert.Equal(401, (await client.RegisterAsync().WaitAsync(Wait)).StatusCode);
        Assert.Empty(registrar.Lookup("sip:alice@example.com"));
    }

    private sealed class NoRequests : ISipTransactionUser
    {
        public void OnRequest(ServerTransaction transaction) =>
            transaction.Respond(Telephony.Sip.Core.SipResponses.Create(transaction.Request, 405));

        public void OnAck(SipRequest ack, SipEndPoint remote)
        {
        }

        public void OnCancel(ServerInviteTransaction invite, SipRequest cancel)
        {
        }

        public void OnStrayResponse(SipResponse response, SipEndPoint remote)
        {
        }

        public void OnAckTimeout(ServerInviteTransaction invite)
        {
        }
    }
}
