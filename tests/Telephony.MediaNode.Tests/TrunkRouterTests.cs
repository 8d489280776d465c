using Telephony.MediaNode.Configuration;
using Telephony.MediaNode.Dialing;

namespace Telephony.MediaNode.Tests;

public sealed class TrunkRouterTests
{
    private static TrunkRouter Router(params TrunkOptions[] trunks) => new([.. trunks.Select(t => new Trunk(t))]);

    private static TrunkOptions Options(string name, string uri, params string[] prefixes) => new() { Name = name, Uri = uri, Prefixes = [.. prefixes] };

    [Fact]
    public void E164_numbers_go_to_matching_trunks_longest_prefix_first_then_in_configuration_order()
    {
        var router = Router(
            Options("any", "sip:any.example"),
            Options("us", "sip:us.example:5060", "+1"),
            Options("nyc", "sip:nyc.example", "1212"),
            Options("us-backup", "sip:backup.example", "1"),
            Options("uk", "sip:uk.example", "44"));

        var routes = router.Routes("+12125550100");

        Assert.Equal(["nyc", "us", "us-backup", "any"], routes.Select(r => r.Name));
        Assert.Equal("sip:+12125550100@nyc.example", routes[0].Target.ToString());
        Assert.Equal("sip:+12125550100@us.example:5060", routes[1].Target.ToString());
    }

    [Fact]
    public void Sip_uris_are_dialled_directly_and_tcp_trunks_say_so_in_the_target()
    {
        var tcp = Options("tcp", "sip:carrier.example", "44");
        tcp.Transport = "tcp";
        var router = Router(tcp);

        var direct = Assert.Single(Router().Routes("sip:alice@10.1.2.3:5070"));
        var viaTcp = Assert.Single(router.Routes("+442071234567"));

        Assert.Null(direct.Trunk);
        Assert.Equal("sip:alice@10.1.2.3:5070", direct.Target.ToString());
        Assert.Equal("tcp", viaTcp.Target.Parameters["transport"]);
    }

    [Theory]
    [InlineData("12125550100")]
    [InlineData("+1212555x100")]
    [InlineData("+")]
    [InlineData("client:alice")]
    [InlineData("sip:")]
    public void Numbers_that_are_neither_E164_nor_SIP_have_no_route(string to) =>
        Assert.Empty(Router(Options("any", "sip:any.example")).Routes(to));

    [Theory]
    [InlineData(0, 10)]
    [InlineData(5, 0)]
    [InlineData(5, double.NaN)]
    public void A_trunk_without_a_channel_or_a_rate_is_refused_at_startup(int maxChannels, double callsPerSecond) =>
        Assert.Throws<InvalidOperationException>(() => new Trunk(new TrunkOptions { Name = "bad", Uri = "sip:carrier.example", MaxChannels = maxChannels, CallsPerSecond = callsPerSecond }));

    [Fact]
    public void A_trunk_URI_that_is_not_SIP_is_refused_at_startup() =>
        Assert.Throws<InvalidOperationException>(() => new Trunk(new TrunkOptions { Name = "bad", Uri = "http://carrier.example" }));

    [Theory]
    [InlineData(408, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(486, false)]
    [InlineData(404, false)]
    [InlineData(603, false)]
    public void Failover_happens_on_timeouts_and_server_errors_only(int status, bool failover) =>
        Assert.Equal(failover, OutboundDialer.IsFailoverStatus(status));
}
