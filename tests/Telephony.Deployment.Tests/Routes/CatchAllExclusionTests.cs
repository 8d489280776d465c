using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace Telephony.Deployment.Tests.Routes;

/// <summary>
/// In Azure the Functions host forwards every request the catch-all `api` route matches to the handler,
/// and the handler serves queue/timer invocations at POST /{FunctionName}. Unless the catch-all excludes
/// those names, anyone on the internet could invoke admit-calls or deliver-callbacks with a forged message.
/// The route is evaluated here by ASP.NET Core routing, as the host does.
/// </summary>
public sealed class CatchAllExclusionTests
{
    private readonly IReadOnlyList<FunctionDefinition> _definitions = FunctionDefinition.LoadAll();

    [Fact]
    public async Task The_catch_all_route_forwards_api_paths_but_no_queue_or_timer_invocation_path()
    {
        var catchAll = Assert.Single(_definitions, d => d.IsHttp && d.Route is not null && d.Route.StartsWith("{*", StringComparison.Ordinal));
        await using var app = await RouteHostAsync(catchAll.Route!);
        using var client = app.GetTestClient();

        var invocationNames = _definitions.Where(d => d.RegistryKind is not null).Select(d => d.Name).ToList();
        Assert.NotEmpty(invocationNames);
        foreach (var name in invocationNames)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/" + name, null)).StatusCode);
        }

        foreach (var path in new[] { "/2010-04-01/Accounts.json", "/2010-04-01/Accounts/AC1/Calls/CA1.json", "/v1/Capacity", "/openapi/v1.json", "/admit-calls/x", "/x/admit-calls" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(path, null)).StatusCode);
        }
    }

    private static async Task<WebApplication> RouteHostAsync(string route)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var app = builder.Build();
        app.Map(route, () => Results.Ok());
        await app.StartAsync();
        return app;
    }
}
