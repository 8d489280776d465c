using System.Globalization;
using System.Net;
using Telephony.Sip.Auth;
using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Registration;
using Telephony.Sip.Transport;
using Telephony.Testing;

namespace Telephony.Sip.Tests.Interop;

/// <summary>Our stack against the real sipp on loopback, both directions. sipp exits 0 only when every call succeeded.</summary>
public sealed class SippInteropTests
{
    private static readonly TimeSpan SippTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Our_uac_calls_sipp_builtin_uas_and_hangs_up()
    {
        await using var agent = NewAgent();
        var sippPort = FreePorts.Udp();
        var sipp = Sipp.RunAsync(["-sn", "uas", .. Sipp.Common(sippPort)], SippTimeout);
        await UdpPortProbe.WaitUntilBoundAsync(sippPort, Wait);

        var call = agent.Call(new CallRequest { Target = SipUri.Parse($"sip:service@127.0.0.1:{sippPort}") });
        await call.WhenAnswered.WaitAsync(Wait);
        call.Hangup();
        var result = await sipp;
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(TwilioCallStatus.Completed, (await call.Completion.WaitAsync(Wait)).TwilioStatus);
    }

    [Fact]
    public async Task Our_uac_negotiates_the_codec_sipp_answers_with()
    {
        await using var agent = NewAgent();
        var sippPort = FreePorts.Udp();
        var sipp = Sipp.RunAsync(["-sf", Sipp.Scenario("uas_sdp"), .. Sipp.Common(sippPort)], SippTimeout);
        await UdpPortProbe.WaitUntilBoundAsync(sippPort, Wait);

        var call = agent.Call(new CallRequest { Target = SipUri.Parse($"sip:service@127.0.0.1:{sippPort}") });
        await call.WhenAnswered.WaitAsync(Wait);
        Assert.Equal("PCMA", call.Audio!.Codec.EncodingName);
        call.Hangup();
        var result = await sipp;
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Sipp_decline_maps_to_busy()
    {
        await using var agent = NewAgent();
        var sippPort = FreePorts.Udp();
        var sipp = Sipp.RunAsync(["-sf", Sipp.Scenario("uas_reject_603"), .. Sipp.Common(sippPort)], SippTimeout);
        await UdpPortProbe.WaitUntilBoundAsync(sippPort, Wait);

        var call = agent.Call(new CallRequest { Target = SipUri.Parse($"sip:service@127.0.0.1:{sippPort}") });
        var end = await call.Completion.WaitAsync(Wait);
        Assert.Equal(603, end.SipStatus);
        Assert.Equal(TwilioCallStatus.Busy, end.TwilioStatus);
        var result = await sipp;
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Ring_timeout_against_sipp_cancels_and_is_no_answer()
    {
        await using var agent = NewAgent();
        var sippPort = FreePorts.Udp();
        var sipp = Sipp.RunAsync(["-sf", Sipp.Scenario("uas_no_answer"), .. Sipp.Common(sippPort)], SippTimeout);
        await UdpPortProbe.WaitUntilBoundAsync(sippPort, Wait);

        var call = agent.Call(new CallRequest { Target = SipUri.Parse($"sip:service@127.0.0.1:{sippPort}"), Timeout = TimeSpan.FromSeconds(1) });
        var end = await call.Completion.WaitAsync(Wait);
        Assert.Equal(TwilioCallStatus.NoAnswer, end.TwilioStatus);
        var result = await sipp;
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Our_uac_answers_a_trunk_digest_challenge_with_cseq_plus_one()
    {
        await using var agent = NewAgent();
        var sippPort = FreePorts.Udp();
        var sipp = Sipp.RunAsync(["-sf", Sipp.Scenario("uas_digest"), .. Sipp.Common(sippPort)], SippTimeout);
        await UdpPortProbe.WaitUntilBoundAsync(sippPort, Wait);

        var call = agent.Call(new CallRequest
        {
            Target = SipUri.Parse($"sip:trunk@127.0.0.1:{sippPort}"),
            Credentials = new DigestCredentials("alice", "wonderland"),
        });
        await call.WhenAnswered.WaitAsync(Wait);
        Assert.Equal(new CSeqHeader(2, SipMethods.Invite), call.Invite!.CSeq);
        Assert.Contains("cnonce=", call.Invite.Headers.Get(HeaderNames.Authorization), StringComparison.Ordinal);
        call.Hangup();
        var result = await sipp;
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Sipp_builtin_uac_calls_our_uas()
    {
        await using var agent = NewAgent();
        var ended = new TaskCompletionSource<CallEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.IncomingCall += call =>
        {
            call.Ended += (_, end) => ended.TrySetResult(end);
            call.Ring();
            call.Answer();
        };
        var result = await Sipp.RunAsync([Target(agent), "-sn", "uac", .. Sipp.Common(FreePorts.Udp())], SippTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        var end = await ended.Task.WaitAsync(Wait);
        Assert.Equal(CallEndCause.RemoteHangup, end.Cause);
    }

    [Fact]
    public async Task Sipp_builtin_uac_over_tcp_calls_our_uas()
    {
        await using var agent = new SipUserAgent(new SipUserAgentOptions
        {
            Listen = [new SipEndPoint(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 0))],
            Media = null,
        });
        var ended = new TaskCompletionSource<CallEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.IncomingCall += call =>
        {
            call.Ended += (_, end) => ended.TrySetResult(end);
            call.Answer();
        };
        var port = agent.LocalEndPoint(SipTransportKind.Tcp).Address.Port;
        var result = await Sipp.RunAsync(
            [$"127.0.0.1:{port}", "-t", "t1", "-sn", "uac", "-i", "127.0.0.1", "-p", FreePorts.Tcp().ToString(CultureInfo.InvariantCulture), "-m", "3", "-l", "1"],
            SippTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(CallEndCause.RemoteHangup, (await ended.Task.WaitAsync(Wait)).Cause);
    }

    [Fact]
    public async Task Sipp_uac_cancels_while_we_ring()
    {
        await using var agent = NewAgent();
        var ended = new TaskCompletionSource<CallEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.IncomingCall += call =>
        {
            call.Ended += (_, end) => ended.TrySetResult(end);
            call.Ring();
        };
        var result = await Sipp.RunAsync([Target(agent), "-sf", Sipp.Scenario("uac_cancel"), .. Sipp.Common(FreePorts.Udp())], SippTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(CallEndCause.Canceled, (await ended.Task.WaitAsync(Wait)).Cause);
    }

    [Fact]
    public async Task Sipp_uac_gets_our_486()
    {
        await using var agent = NewAgent();
        agent.IncomingCall += call => call.Reject(486);
        var result = await Sipp.RunAsync([Target(agent), "-sf", Sipp.Scenario("uac_rejected"), .. Sipp.Common(FreePorts.Udp())], SippTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task We_hang_up_a_call_sipp_placed()
    {
        await using var agent = NewAgent();
        agent.IncomingCall += call =>
        {
            call.Answered += answered => answered.Hangup();
            call.Answer();
        };
        var result = await Sipp.RunAsync([Target(agent), "-sf", Sipp.Scenario("uac_remote_bye"), .. Sipp.Common(FreePorts.Udp())], SippTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Sipp_registers_and_unregisters_with_our_registrar()
    {
        var registrar = new Registrar(TimeProvider.System);
        var changes = new List<int>();
        registrar.BindingsChanged += (aor, bindings) =>
        {
            lock (changes)
            {
                changes.Add(bindings.Count);
            }
        };
        await using var agent = NewAgent(registrar);
        var result = await Sipp.RunAsync([Target(agent), "-sf", Sipp.Scenario("register"), .. Sipp.Common(FreePorts.Udp())], SippTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([1, 0], changes);
        Assert.Empty(registrar.Lookup("sip:alice@127.0.0.1"));
    }

    [Fact]
    public async Task Sipp_answers_our_digest_challenge()
    {
        var registrar = new Registrar(TimeProvider.System, new RegistrarOptions
        {
            Authenticator = new DigestServer("telephony.test", TimeProvider.System),
            Passwords = user => user == "alice" ? "wonderland" : null,
        });
        await using var agent = NewAgent(registrar);
        var result = await Sipp.RunAsync([Target(agent), "-sf", Sipp.Scenario("register_digest"), .. Sipp.Common(FreePorts.Udp())], SippTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        var binding = Assert.Single(registrar.Lookup("sip:alice@127.0.0.1"));
        Assert.Equal("alice", binding.Contact.Uri.User);
    }

    [Fact]
    public async Task Sipp_uac_burst_of_calls_all_succeed()
    {
        await using var agent = NewAgent();
        agent.IncomingCall += call => call.Answer();
        var result = await Sipp.RunAsync(
            [Target(agent), "-sn", "uac", "-i", "127.0.0.1", "-p", FreePorts.Udp().ToString(CultureInfo.InvariantCulture), "-m", "50", "-r", "50"],
            SippTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Calls_complete_through_a_relay_that_drops_and_reorders_packets()
    {
        await using var agent = NewAgent();
        var answered = 0;
        agent.IncomingCall += call =>
        {
            Interlocked.Increment(ref answered);
            call.Answer();
        };
        await using var relay = new LossyUdpRelay(agent.LocalEndPoint().Address);
        var result = await Sipp.RunAsync(
            [$"127.0.0.1:{relay.ClientFacing.Port}", "-sn", "uac", "-i", "127.0.0.1", "-p", FreePorts.Udp().ToString(CultureInfo.InvariantCulture), "-m", "5", "-l", "1"],
            SippTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(relay.Dropped > 0 && relay.Reordered > 0, $"dropped {relay.Dropped}, reordered {relay.Reordered}");
        Assert.Equal(5, Volatile.Read(ref answered));
    }

    private static string Target(SipUserAgent agent) => $"127.0.0.1:{agent.LocalEndPoint().Address.Port}";

    private static SipUserAgent NewAgent(Registrar? registrar = null) => new(new SipUserAgentOptions
    {
        User = "us",
        Listen = [new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 0))],
        Media = null,
        Registrar = registrar,
    });
}
