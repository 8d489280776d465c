using System.Net;
using Microsoft.Extensions.Time.Testing;
using Telephony.MediaNode.Configuration;

namespace Telephony.MediaNode.Tests;

public sealed class PublicAddressResolverTests
{
    [Fact]
    public async Task A_host_name_resolves_to_the_address_the_node_advertises()
    {
        var address = await PublicAddressResolver.ResolveAsync("localhost", attempts: 1, TimeSpan.FromSeconds(2), TimeProvider.System);

        Assert.True(IPAddress.IsLoopback(address), $"localhost resolved to {address}");
    }

    [Fact]
    public async Task A_name_that_never_resolves_fails_start_up_with_the_setting_named_after_every_attempt()
    {
        // RFC 6761: names under .invalid never resolve. The retry waits run on fake time.
        var time = new FakeTimeProvider();
        var resolving = PublicAddressResolver.ResolveAsync("node.example.invalid", attempts: 2, TimeSpan.FromSeconds(2), time);
        while (!resolving.IsCompleted)
        {
            // The lookups are real; only the waits between them are on fake time.
            time.Advance(TimeSpan.FromSeconds(2));
            await Task.WhenAny(resolving, Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System));
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => resolving);
        Assert.Contains("Telephony:Node:PublicHostName", error.Message, StringComparison.Ordinal);
        Assert.Contains("2 attempts", error.Message, StringComparison.Ordinal);
    }
}
