using Telephony.Sip.Transactions;

namespace Telephony.Sip.Tests.Transactions;

/// <summary>RFC 3261 §17.2 + RFC 6026 server timers on fake time.</summary>
public sealed class ServerTransactionTimerTests
{
    [Fact]
    public void Invite_error_response_is_retransmitted_on_G_until_ACK_then_I()
    {
        using var env = new FakeEnvironment();
        var request = FakeEnvironment.Request("INVITE");
        var tx = new ServerInviteTransaction("k", request, FakeEnvironment.Udp, env, null);
        tx.Respond(FakeEnvironment.ResponseTo(request, 100));
        tx.ReceiveRetransmission();
        Assert.Equal(2, env.SendTimes("100").Count);

        tx.Respond(FakeEnvironment.ResponseTo(request, 486));
        Assert.Equal(TransactionState.Completed, tx.State);
        env.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 11.5], env.SendTimes("486"));
        tx.ReceiveRetransmission();
        Assert.Equal(7, env.SendTimes("486").Count);

        Assert.False(tx.ReceiveAck());
        Assert.Equal(TransactionState.Confirmed, tx.State);
        env.Advance(TimeSpan.FromSeconds(4.8));
        Assert.Equal(7, env.SendTimes("486").Count);
        Assert.Equal(TransactionState.Confirmed, tx.State);
        env.Advance(TimeSpan.FromSeconds(0.3));
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Invite_error_without_ACK_ends_at_H_and_tells_the_TU()
    {
        using var env = new FakeEnvironment();
        var request = FakeEnvironment.Request("INVITE");
        ServerInviteTransaction? timedOut = null;
        var tx = new ServerInviteTransaction("k", request, FakeEnvironment.Udp, env, t => timedOut = t);
        tx.Respond(FakeEnvironment.ResponseTo(request, 603));
        env.Advance(TimeSpan.FromSeconds(31.9));
        Assert.Null(timedOut);
        env.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Same(tx, timedOut);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal([0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5], env.SendTimes("603"));
    }

    [Fact]
    public void Invite_2xx_moves_to_Accepted_absorbs_retransmissions_and_passes_ACK_up_until_L()
    {
        using var env = new FakeEnvironment();
        var request = FakeEnvironment.Request("INVITE");
        var tx = new ServerInviteTransaction("k", request, FakeEnvironment.Udp, env, null);
        tx.Respond(FakeEnvironment.ResponseTo(request, 200));
        Assert.Equal(TransactionState.Accepted, tx.State);
        tx.ReceiveRetransmission();
        Assert.Single(env.SendTimes("200"));
        Assert.True(tx.ReceiveAck());
        tx.Respond(FakeEnvironment.ResponseTo(request, 500));
        Assert.Empty(env.SendTimes("500"));
        env.Advance(TimeSpan.FromSeconds(32.1));
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Non_invite_final_is_resent_on_retransmission_until_J()
    {
        using var env = new FakeEnvironment();
        var request = FakeEnvironment.Request("OPTIONS");
        var tx = new ServerNonInviteTransaction("k", request, FakeEnvironment.Udp, env);
        tx.ReceiveRetransmission();
        Assert.Empty(env.Sent);
        tx.Respond(FakeEnvironment.ResponseTo(request, 200));
        tx.ReceiveRetransmission();
        Assert.Equal(2, env.SendTimes("200").Count);
        env.Advance(TimeSpan.FromSeconds(31.9));
        Assert.Equal(TransactionState.Completed, tx.State);
        env.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Scheduler_uses_one_timer_and_skips_cancelled_entries()
    {
        using var env = new FakeEnvironment();
        var fired = new List<int>();
        var first = env.Scheduler.Schedule(TimeSpan.FromSeconds(2), () => fired.Add(2));
        env.Scheduler.Schedule(TimeSpan.FromSeconds(1), () => fired.Add(1));
        env.Scheduler.Schedule(TimeSpan.FromSeconds(3), () => fired.Add(3));
        first.Cancel();
        Assert.Equal(2, env.Scheduler.Pending);
        env.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal([1, 3], fired);
    }
}
