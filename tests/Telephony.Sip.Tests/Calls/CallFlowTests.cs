using Telephony.Sip.Calls;
using Telephony.Sip.Messages;
using Telephony.Sip.Transport;

namespace Telephony.Sip.Tests.Calls;

/// <summary>Whole call flows between two of our agents over real loopback sockets.</summary>
public sealed class CallFlowTests
{
    private static readonly TimeSpan Wait = AgentPair.Wait;

    [Theory]
    [InlineData(SipTransportKind.Udp)]
    [InlineData(SipTransportKind.Tcp)]
    public async Task Ring_answer_and_caller_hangs_up(SipTransportKind transport)
    {
        await using var agents = new AgentPair(transport: transport);
        var incoming = agents.NextIncomingCall();
        var call = agents.Caller.Call(new CallRequest { Target = agents.CalleeUri });
        var ringing = new TaskCompletionSource<int>();
        call.Ringing += (_, response) => ringing.TrySetResult(response.StatusCode);

        var callee = await incoming.WaitAsync(Wait);
        Assert.Equal(CallDirection.Inbound, callee.Direction);
        callee.Ring();
        Assert.Equal(180, await ringing.Task.WaitAsync(Wait));
        callee.Answer();
        await call.WhenAnswered.WaitAsync(Wait);
        Assert.Equal(CallState.Answered, call.State);
        Assert.NotNull(call.Audio);
        Assert.Equal("PCMU", call.Audio!.Codec.EncodingName);

        call.Hangup();
        var calleeEnd = await callee.Completion.WaitAsync(Wait);
        var callerEnd = await call.Completion.WaitAsync(Wait);
        Assert.Equal(CallEndCause.RemoteHangup, calleeEnd.Cause);
        Assert.Equal(CallEndCause.LocalHangup, callerEnd.Cause);
        Assert.Equal(TwilioCallStatus.Completed, callerEnd.TwilioStatus);
        Assert.Equal(TwilioCallStatus.Completed, calleeEnd.TwilioStatus);
        Assert.Equal(0, agents.Caller.ActiveCallCount);
    }

    [Fact]
    public async Task Callee_hangs_up_with_BYE()
    {
        await using var agents = new AgentPair();
        var incoming = agents.NextIncomingCall();
        var call = agents.Caller.Call(new CallRequest { Target = agents.CalleeUri });
        var callee = await incoming.WaitAsync(Wait);
        callee.Answer();
        await call.WhenAnswered.WaitAsync(Wait);
        await callee.WhenAnswered.WaitAsync(Wait);
        callee.Hangup();
        var end = await call.Completion.WaitAsync(Wait);
        Assert.Equal(CallEndCause.RemoteHangup, end.Cause);
        Assert.True(end.WasAnswered);
    }

    [Theory]
    [InlineData(486, TwilioCallStatus.Busy)]
    [InlineData(603, TwilioCallStatus.Busy)]
    [InlineData(480, TwilioCallStatus.NoAnswer)]
    [InlineData(404, TwilioCallStatus.Failed)]
    [InlineData(503, TwilioCallStatus.Failed)]
    public async Task Rejections_map_to_Twilio_statuses(int status, TwilioCallStatus expected)
    {
        await using var agents = new AgentPair();
        var incoming = agents.NextIncomingCall();
        var call = agents.Caller.Call(new CallRequest { Target = agents.CalleeUri });
        (await incoming.WaitAsync(Wait)).Reject(status);
        var end = await call.Completion.WaitAsync(Wait);
        Assert.Equal(status, end.SipStatus);
        Assert.Equal(expected, end.TwilioStatus);
        Assert.False(end.WasAnswered);
    }

    [Fact]
    public async Task Cancel_while_ringing_ends_both_sides_as_canceled()
    {
        await using var agents = new AgentPair();
        var incoming = agents.NextIncomingCall();
        var call = agents.Caller.Call(new CallRequest { Target = agents.CalleeUri });
        var ringing = new TaskCompletionSource();
        call.Ringing += (_, _) => ringing.TrySetResult();
        var callee = await incoming.WaitAsync(Wait);
        callee.Ring();
        await ringing.Task.WaitAsync(Wait);
        call.Hangup();
        var calleeEnd = await callee.Completion.WaitAsync(Wait);
        var callerEnd = await call.Completion.WaitAsync(Wait);
        Assert.Equal(CallEndCause.Canceled, calleeEnd.Cause);
        Assert.Equal(487, callerEnd.SipStatus);
        Assert.Equal(TwilioCallStatus.Canceled, callerEnd.TwilioStatus);
    }

    [Fact]
    public async Task Ring_timeout_cancels_and_reports_no_answer()
    {
        await using var agents = new AgentPair();
        var incoming = agents.NextIncomingCall();
        var call = agents.Caller.Call(new CallRequest { Target = agents.CalleeUri, Timeout = TimeSpan.FromSeconds(1) });
        var callee = await incoming.WaitAsync(Wait);
        callee.Ring();
        var end = await call.Completion.WaitAsync(Wait);
        Assert.Equal(CallEndCause.Timeout, end.Cause);
        Assert.Equal(TwilioCallStatus.NoAnswer, end.TwilioStatus);
        Assert.Equal(CallEndCause.Canceled, (await callee.Completion.WaitAsync(Wait)).Cause);
    }

    [Fact]
    public async Task Hold_and_unhold_with_reinvite()
    {
        await using var agents = new AgentPair();
        var incoming = agents.NextIncomingCall();
        var call = agents.Caller.Call(new CallRequest { Target = agents.CalleeUri });
        var callee = await incoming.WaitAsync(Wait);
        callee.Answer();
        await call.WhenAnswered.WaitAsync(Wait);

        Assert.True(await call.SetHoldAsync(true).WaitAsync(Wait));
        Assert.True(callee.IsHeldByPeer);
        Assert.Equal(Telephony.Sip.Sdp.SdpDirection.SendOnly, call.Audio!.Direction);
        Assert.True(await call.SetHoldAsync(false).WaitAsync(Wait));
        Assert.False(callee.IsHeldByPeer);
        call.Hangup();
        await callee.Completion.WaitAsync(Wait);
    }

    [Fact]
    public async Task Dtmf_over_sip_info_without_media()
    {
        await using var agents = new AgentPair();
        var incoming = agents.NextIncomingCall();
        var call = agents.Caller.Call(new CallRequest { Target = agents.CalleeUri });
        var callee = await incoming.WaitAsync(Wait);
        var digits = new List<char>();
        var allDigits = new TaskCompletionSource();
        callee.DtmfReceived += (_, d) =>
        {
            lock (digits)
            {
                digits.Add(d);
                if (digits.Count == 4)
                {
                    allDigits.TrySetResult();
                }
            }
        };
        callee.Answer();
        await call.WhenAnswered.WaitAsync(Wait);
        call.SendDtmf("12#*");
        await allDigits.Task.WaitAsync(Wait);
        Assert.Equal(4, digits.Count);
        Assert.Equal("#*12".Order(), digits.Order());
    }

    [Fact]
    public async Task Options_lists_allowed_methods_and_unknown_dialog_gets_481()
    {
        await using var agents = new AgentPair();
        var response = await agents.Caller.SendOptionsAsync(agents.CalleeUri).WaitAsync(Wait);
        Assert.Equal(200, response.StatusCode);
        Assert.Contains("INVITE", response.Headers.Get(HeaderNames.Allow), StringComparison.Ordinal);
        Assert.Equal("application/sdp", response.Headers.Get(HeaderNames.Accept));
    }

    [Fact]
    public async Task Nobody_listening_for_calls_gets_480()
    {
        await using var agents = new AgentPair();
        var call = agents.Caller.Call(new CallRequest { Target = agents.CalleeUri });
        var end = await call.Completion.WaitAsync(Wait);
        Assert.Equal(480, end.SipStatus);
        Assert.Equal(TwilioCallStatus.NoAnswer, end.TwilioStatus);
    }
}
