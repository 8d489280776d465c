using Microsoft.Extensions.Time.Testing;
using Telephony.MediaNode.Presence;
using Telephony.Sip.Messages;

namespace Telephony.MediaNode.Tests.Presence;

/// <summary>The node-to-node relay header: only the shared node key signs it, once, for a short while.</summary>
public sealed class RelaySignatureTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RelayClaims _claims = new("AC" + new string('1', 32), "alice smith", "0123456789abcdef01234567");

    [Fact]
    public void A_header_signed_with_the_node_key_verifies_once_and_carries_its_claims()
    {
        var nodes = new RelaySignature("shared-node-key", _time);
        var invite = Invite(nodes.Sign(_claims));

        Assert.Equal(_claims, nodes.Verify(invite));
        Assert.Null(nodes.Verify(invite));
    }

    [Fact]
    public void Another_key_a_changed_claim_a_stale_timestamp_or_no_key_is_refused()
    {
        var nodes = new RelaySignature("shared-node-key", _time);
        Assert.Null(nodes.Verify(Invite(new RelaySignature("another-key", _time).Sign(_claims))));

        var header = nodes.Sign(_claims)!;
        Assert.Null(nodes.Verify(Invite(header.Replace(_claims.RegistrationId, "ffffffffffffffffffffffff", StringComparison.Ordinal))));
        Assert.Null(nodes.Verify(Invite(header.Replace("alice%20smith", "mallory", StringComparison.Ordinal))));

        var late = nodes.Sign(_claims);
        _time.Advance(RelaySignature.MaxAge + TimeSpan.FromSeconds(1));
        Assert.Null(nodes.Verify(Invite(late)));

        var keyless = new RelaySignature(null, _time);
        Assert.False(keyless.CanSign);
        Assert.Null(keyless.Sign(_claims));
        Assert.Null(keyless.Verify(Invite(nodes.Sign(_claims))));
        Assert.Null(nodes.Verify(Invite("v1;garbage")));
        Assert.Null(nodes.Verify(Invite(null)));
    }

    private static SipRequest Invite(string? relay)
    {
        var invite = new SipRequest(SipMethods.Invite, SipUri.Parse("sip:alice@127.0.0.1:5080"));
        if (relay is not null)
        {
            invite.Headers.Add(RelaySignature.Header, relay);
        }

        return invite;
    }
}
