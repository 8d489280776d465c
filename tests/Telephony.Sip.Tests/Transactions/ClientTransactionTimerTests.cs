using Telephony.Sip.Messages;
using Telephony.Sip.Transactions;

namespace Telephony.Sip.Tests.Transactions;

/// <summary>RFC 3261 §17.1 timers, checked step by step on fake time.</summary>
public sealed class ClientTransactionTimerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Invite_over_udp_doubles_timer_A_without_cap_and_times_out_at_B()
    {
        using var env = new FakeEnvironment();
        var responses = new List<SipResponse>();
        var timedOut = new TaskCompletionSource<SipResponse>();
        var tx = new ClientInviteTransaction("k", FakeEnvironment.Request("INVITE"), FakeEnvironment.Udp, env, r =>
        {
            if (r.StatusCode == 408)
            {
                timedOut.TrySetResult(r);
            }
        });
        tx.Start();
        env.Advance(TimeSpan.FromSeconds(31.9));
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5], env.SendTimes("INVITE"));
        Assert.Equal(TransactionState.Calling, tx.State);

        env.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(408, (await timedOut.Task.WaitAsync(Wait)).StatusCode);
        Assert.Equal(TransactionState.Terminated, tx.State);
        env.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(7, env.SendTimes("INVITE").Count);
    }

    [Fact]
    public void Invite_provisional_stops_A_and_final_error_is_acked_and_absorbed_until_D()
    {
        using var env = new FakeEnvironment();
        var delivered = new List<int>();
        var request = FakeEnvironment.Request("INVITE");
        var tx = new ClientInviteTransaction("k", request, FakeEnvironment.Udp, env, r => delivered.Add(r.StatusCode));
        tx.Start();
        env.Advance(TimeSpan.FromSeconds(0.6));
        tx.ReceiveResponse(FakeEnvironment.ResponseTo(request, 180));
        Assert.Equal(TransactionState.Proceeding, tx.State);
        env.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([0, 0.5], env.SendTimes("INVITE"));

        var busy = FakeEnvironment.ResponseTo(request, 486);
        tx.ReceiveResponse(busy);
        Assert.Equal(TransactionState.Completed, tx.State);
        var ack = Assert.IsType<SipRequest>(env.Sent[^1].Message);
        Assert.Equal("ACK", ack.Method);
        Assert.Equal(request.TopVia!.Branch, ack.TopVia!.Branch);
        Assert.Equal("b1", ack.To!.Tag);
        Assert.Equal(new CSeqHeader(1, "ACK"), ack.CSeq);

        tx.ReceiveResponse(busy);
        Assert.Equal(2, env.SendTimes("ACK").Count);
        Assert.Equal([180, 486], delivered);

        env.Advance(TimeSpan.FromSeconds(31.8));
        Assert.Equal(TransactionState.Completed, tx.State);
        env.Advance(TimeSpan.FromSeconds(0.4));
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Invite_2xx_enters_Accepted_passes_retransmissions_up_and_ends_at_M()
    {
        using var env = new FakeEnvironment();
        var delivered = new List<int>();
        var request = FakeEnvironment.Request("INVITE");
        var tx = new ClientInviteTransaction("k", request, FakeEnvironment.Udp, env, r => delivered.Add(r.StatusCode));
        tx.Start();
        var ok = FakeEnvironment.ResponseTo(request, 200);
        tx.ReceiveResponse(ok);
        Assert.Equal(TransactionState.Accepted, tx.State);
        tx.ReceiveResponse(ok);
        Assert.Equal([200, 200], delivered);
        Assert.Empty(env.SendTimes("ACK"));
        env.Advance(TimeSpan.FromSeconds(31.9));
        Assert.Equal(TransactionState.Accepted, tx.State);
        env.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Single(env.SendTimes("INVITE"));
    }

    [Fact]
    public async Task Non_invite_caps_timer_E_at_T2_and_times_out_at_F()
    {
        using var env = new FakeEnvironment();
        var timedOut = new TaskCompletionSource<int>();
        var tx = new ClientNonInviteTransaction("k", FakeEnvironment.Request("OPTIONS"), FakeEnvironment.Udp, env, r => timedOut.TrySetResult(r.StatusCode));
        tx.Start();
        env.Advance(TimeSpan.FromSeconds(31.9));
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5], env.SendTimes("OPTIONS"));
        env.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(408, await timedOut.Task.WaitAsync(Wait));
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Non_invite_in_Proceeding_retransmits_every_T2_and_final_waits_K()
    {
        using var env = new FakeEnvironment();
        var request = FakeEnvironment.Request("BYE");
        var tx = new ClientNonInviteTransaction("k", request, FakeEnvironment.Udp, env, _ => { });
        tx.Start();
        env.Advance(TimeSpan.FromSeconds(0.3));
        tx.ReceiveResponse(FakeEnvironment.ResponseTo(request, 100));
        env.Advance(TimeSpan.FromSeconds(9));
        // E was armed for 0.5 s before the 1xx; from then on it fires every T2.
        Assert.Equal([0, 0.5, 4.5, 8.5], env.SendTimes("BYE"));
        tx.ReceiveResponse(FakeEnvironment.ResponseTo(request, 200));
        Assert.Equal(TransactionState.Completed, tx.State);
        env.Advance(TimeSpan.FromSeconds(4.8));
        Assert.Equal(TransactionState.Completed, tx.State);
        env.Advance(TimeSpan.FromSeconds(0.3));
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(4, env.SendTimes("BYE").Count);
    }

    [Fact]
    public void Reliable_transport_never_retransmits_and_ends_immediately()
    {
        using var env = new FakeEnvironment();
        var request = FakeEnvironment.Request("OPTIONS");
        var tx = new ClientNonInviteTransaction("k", request, FakeEnvironment.Tcp, env, _ => { });
        tx.Start();
        env.Advance(TimeSpan.FromSeconds(20));
        Assert.Single(env.SendTimes("OPTIONS"));
        tx.ReceiveResponse(FakeEnvironment.ResponseTo(request, 200));
        env.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(TransactionState.Terminated, tx.State);
    }
}
