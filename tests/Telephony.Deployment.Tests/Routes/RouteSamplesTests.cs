using Microsoft.AspNetCore.Routing.Patterns;

namespace Telephony.Deployment.Tests.Routes;

/// <summary>The route helpers the function.json checks rely on tell matching routes from non-matching ones.</summary>
public sealed class RouteSamplesTests
{
    [Theory]
    [InlineData("", "{*path}", "api", "/2010-04-01/Accounts.json", true)]
    [InlineData("", "{*path}", "api", "/admit-calls", true)]
    [InlineData("api", "{*path}", "api", "/2010-04-01/Accounts.json", false)]
    [InlineData("", "instructions/{callSid}", "instructions", "/instructions/CA123", true)]
    [InlineData("", "instructions/{callSid}", "instructions", "/media/CA123", false)]
    [InlineData("", null, "media", "/media", true)]
    [InlineData("", null, "media", "/media/extra", false)]
    public void A_function_route_under_the_prefix_matches_exactly_the_paths_the_host_would_forward(string prefix, string? route, string name, string path, bool expected)
    {
        Assert.Equal(expected, RouteSamples.Matches(RouteSamples.FunctionRoute(prefix, route, name), path));
    }

    [Fact]
    public void Sample_paths_of_endpoint_patterns_are_matched_by_the_same_pattern_and_not_by_others()
    {
        var calls = RoutePatternFactory.Parse("/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}.json");
        var keys = RoutePatternFactory.Parse("/2010-04-01/Accounts/{AccountSid}/Keys.json");

        var sample = RouteSamples.SamplePath(calls);

        Assert.Equal("/2010-04-01/Accounts/sample/Calls/sample.json", sample);
        Assert.True(RouteSamples.Matches(calls, sample));
        Assert.False(RouteSamples.Matches(keys, sample));
        Assert.True(RouteSamples.IsCatchAll(RoutePatternFactory.Parse("{*path}")));
        Assert.False(RouteSamples.IsCatchAll(RoutePatternFactory.Parse("api/{*path}")));
    }
}
