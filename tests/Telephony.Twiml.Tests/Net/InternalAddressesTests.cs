using System.Net;
using Telephony.Core.Net;

namespace Telephony.Twiml.Tests.Net;

public sealed class InternalAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Internal_addresses_are_refused(string address) =>
        Assert.True(InternalAddresses.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("52.1.2.3")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.4.4")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.False(InternalAddresses.IsInternal(IPAddress.Parse(address)));
}
