using Xunit.Abstractions;

namespace Telephony.Functions.Tests.Api;

/// <summary>
/// Runs tests/sdk/calls.test.mjs (node:test) with the official twilio npm SDK against the API on a
/// real Kestrel loopback port over Azurite; the node process must exit 0.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SdkCompatibilityTests(ApiFixture api, ITestOutputHelper output)
{
    [Fact]
    public async Task The_official_twilio_node_SDK_works_against_the_local_base_url()
    {
        var log = await SdkScript.RunAsync(api, "calls.test.mjs", output);
        Assert.Contains("pass 5", log, StringComparison.Ordinal);
    }
}
